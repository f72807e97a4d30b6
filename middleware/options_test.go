package middleware

import (
	"strings"
	"testing"
	"time"

	"github.com/imgcdn/imgcdn/store"
)

func TestNewValidates(t *testing.T) {
	s := newFakeStore()
	readOnly := store.Store(&fastStore{})
	tests := map[string]struct {
		opts []Option
		want string // a part of the error; "" for success
	}{
		"defaults":                {nil, ""},
		"prefix":                  {[]Option{WithPrefix("/images")}, ""},
		"empty prefix":            {[]Option{WithPrefix("")}, ""},
		"prefix without slash":    {[]Option{WithPrefix("img")}, "prefix"},
		"prefix trailing slash":   {[]Option{WithPrefix("/img/")}, "prefix"},
		"prefix with query":       {[]Option{WithPrefix("/img?x")}, "prefix"},
		"no keys":                 {[]Option{WithSigningKeys()}, "at least one key"},
		"empty key":               {[]Option{WithSigningKeys("a", "")}, "empty signing key"},
		"required without keys":   {[]Option{WithSigningRequired(true)}, "no signing keys"},
		"required with keys":      {[]Option{WithSigningKeys("k"), WithSigningRequired(true)}, ""},
		"named":                   {[]Option{WithNamedTransformations(map[string]string{"t": "w-10"})}, ""},
		"named bad name":          {[]Option{WithNamedTransformations(map[string]string{"a b": "w-10"})}, `"a b"`},
		"named with a comma":      {[]Option{WithNamedTransformations(map[string]string{"a,w-10": "w-10"})}, "bad name"},
		"named bad value":         {[]Option{WithNamedTransformations(map[string]string{"t": "w-0"})}, `named transformation "t"`},
		"named nested":            {[]Option{WithNamedTransformations(map[string]string{"a": "w-10", "b": "n-a"})}, "nested"},
		"named bad di":            {[]Option{WithNamedTransformations(map[string]string{"t": "di-a@@@@b"})}, "invalid key"},
		"default tr":              {[]Option{WithDefaultTransformation("w-100")}, ""},
		"default tr named":        {[]Option{WithNamedTransformations(map[string]string{"t": "w-10"}), WithDefaultTransformation("n-t")}, ""},
		"default tr unknown name": {[]Option{WithDefaultTransformation("n-t")}, "default transformation"},
		"default tr bad":          {[]Option{WithDefaultTransformation("q-0")}, "default transformation"},
		"default tr empty":        {[]Option{WithDefaultTransformation("")}, "empty"},
		"default image":           {[]Option{WithDefaultImage("defaults/missing.png")}, ""},
		"default image traversal": {[]Option{WithDefaultImage("../etc/passwd")}, "default image"},
		"limits":                  {[]Option{WithMaxSourceBytes(1), WithMaxSourcePixels(1), WithMaxOutputSize(1, 1), WithQuality(1)}, ""},
		"source bytes":            {[]Option{WithMaxSourceBytes(0)}, "max source bytes"},
		"source pixels":           {[]Option{WithMaxSourcePixels(-1)}, "max source pixels"},
		"output size":             {[]Option{WithMaxOutputSize(0, 10)}, "max output size"},
		"quality":                 {[]Option{WithQuality(101)}, "quality"},
		"timeout":                 {[]Option{WithTimeout(0)}, "timeout"},
		"workers":                 {[]Option{WithWorkers(0)}, "workers"},
		"queue":                   {[]Option{WithQueueLength(-1)}, "queue"},
		"queue zero":              {[]Option{WithQueueLength(0)}, ""},
		"memory":                  {[]Option{WithMemoryCache(-1)}, "memory cache"},
		"memory off":              {[]Option{WithMemoryCache(0)}, ""},
		"result store":            {[]Option{WithResultStore(s)}, ""},
		"result store read-only":  {[]Option{WithResultStore(readOnly)}, "not a store.Putter"},
		"result store nil":        {[]Option{WithResultStore(nil)}, "nil result store"},
		"cache control":           {[]Option{WithCacheControl("no-cache")}, ""},
		"cache control empty":     {[]Option{WithCacheControl("")}, "Cache-Control"},
		"cache control newline":   {[]Option{WithCacheControl("a\r\nSet-Cookie: x")}, "Cache-Control"},
		"logger nil":              {[]Option{WithLogger(nil)}, ""},
		"metrics nil":             {[]Option{WithMetrics(nil)}, "nil metrics"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			h, err := New(s, tc.opts...)
			switch {
			case tc.want == "" && err != nil:
				t.Errorf("New = %v, want success", err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Errorf("New = %v, want an error containing %q", err, tc.want)
			case tc.want == "" && h == nil:
				t.Errorf("New returned a nil Handler")
			}
		})
	}
	if _, err := New(nil); err == nil {
		t.Errorf("New(nil) succeeded")
	}
}

func TestDefaults(t *testing.T) {
	h, err := New(newFakeStore())
	if err != nil {
		t.Fatal(err)
	}
	if h.prefix != "/img" || h.timeout != DefaultTimeout || cap(h.pool.slots) < 1 ||
		h.pool.queue != int64(DefaultQueueFactor*cap(h.pool.slots)) || h.mem == nil || h.results != nil ||
		h.hdr.cacheControl[0] != DefaultCacheControl || h.limits.MaxSourceBytes != 40<<20 || h.limits.Quality != 80 {
		t.Errorf("unexpected defaults: %+v", h)
	}
	if h.timeout < time.Second {
		t.Errorf("default timeout %v", h.timeout)
	}
}
