module github.com/imgcdn/imgcdn/adapters/echo

go 1.26.0

require (
	github.com/imgcdn/imgcdn v0.0.0
	github.com/labstack/echo/v4 v4.16.0
)

require (
	github.com/deepteams/webp v1.2.8 // indirect
	github.com/ebitengine/purego v0.10.1 // indirect
	github.com/gen2brain/avif v0.6.0 // indirect
	github.com/labstack/gommon v0.5.0 // indirect
	github.com/mattn/go-colorable v0.1.15 // indirect
	github.com/mattn/go-isatty v0.0.22 // indirect
	github.com/maypok86/otter/v2 v2.4.0 // indirect
	github.com/tetratelabs/wazero v1.12.0 // indirect
	github.com/valyala/bytebufferpool v1.0.0 // indirect
	github.com/valyala/fasttemplate v1.2.2 // indirect
	golang.org/x/crypto v0.53.0 // indirect
	golang.org/x/image v0.48.0 // indirect
	golang.org/x/net v0.56.0 // indirect
	golang.org/x/sync v0.25.0 // indirect
	golang.org/x/sys v0.50.0 // indirect
	golang.org/x/text v0.44.0 // indirect
)

replace github.com/imgcdn/imgcdn => ../..
