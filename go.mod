module github.com/imgcdn/imgcdn

go 1.26.0

require (
	github.com/anthonynsimon/bild v0.17.1
	github.com/deepteams/webp v1.2.8
	github.com/disintegration/imaging v1.6.2
	github.com/gen2brain/avif v0.6.0
	github.com/google/go-cmp v0.7.0
	github.com/maypok86/otter/v2 v2.4.0
	go.n16f.net/thumbhash v1.1.0
	golang.org/x/image v0.48.0
	golang.org/x/sync v0.25.0
)

require (
	github.com/ebitengine/purego v0.10.1 // indirect
	github.com/tetratelabs/wazero v1.12.0 // indirect
	golang.org/x/sys v0.50.0 // indirect
)
