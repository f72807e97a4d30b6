module github.com/imgcdn/imgcdn/adapters/fasthttp

go 1.26.0

require (
	github.com/imgcdn/imgcdn v0.0.0
	github.com/valyala/fasthttp v1.73.0
)

require (
	github.com/andybalholm/brotli v1.2.2 // indirect
	github.com/deepteams/webp v1.2.8 // indirect
	github.com/ebitengine/purego v0.10.1 // indirect
	github.com/gen2brain/avif v0.6.0 // indirect
	github.com/klauspost/compress v1.19.1 // indirect
	github.com/maypok86/otter/v2 v2.4.0 // indirect
	github.com/tetratelabs/wazero v1.12.0 // indirect
	github.com/valyala/bytebufferpool v1.0.0 // indirect
	golang.org/x/image v0.48.0 // indirect
	golang.org/x/sync v0.25.0 // indirect
	golang.org/x/sys v0.50.0 // indirect
)

replace github.com/imgcdn/imgcdn => ../..
