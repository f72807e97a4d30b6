module github.com/imgcdn/imgcdn/examples

go 1.26.0

require github.com/imgcdn/imgcdn v0.0.0

require (
	github.com/maypok86/otter/v2 v2.4.0 // indirect
	golang.org/x/image v0.48.0 // indirect
	golang.org/x/sync v0.25.0 // indirect
)

replace github.com/imgcdn/imgcdn => ../
