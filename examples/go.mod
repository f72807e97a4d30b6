module github.com/imgcdn/imgcdn/examples

go 1.26.0

require github.com/imgcdn/imgcdn v0.0.0

replace github.com/imgcdn/imgcdn => ../
