// Package store holds the sources imgcdn reads images from and the places
// it keeps results in: a small [Store] interface (Open and Stat, context
// first), optional [Putter], [Deleter] and [Lister] capabilities found by
// type assertion, and implementations for local disk, any fs.FS (so an
// embed.FS serves images from the binary itself), memory, remote HTTP
// origins and an ordered chain of stores.
//
// Keys are slash-separated relative paths ("photos/cat.jpg"); see
// [CheckKey]. Nothing in this package knows about images.
package store
