package pipeline

import "testing"

func BenchmarkParse(b *testing.B) {
	b.Run("resize", func(b *testing.B) { benchParse(b, "w-300,h-200") })
	b.Run("pad", func(b *testing.B) { benchParse(b, "w-300,h-200,cm-pad_resize,bg-F3F3F3,fo-left,f-webp,q-75") })
	b.Run("chain", func(b *testing.B) {
		benchParse(b, "w-800,ar-16-9,c-at_max:rt-N90,fl-h:e-sharpen-10,r-max,bg-white,f-avif")
	})
	b.Run("extract", func(b *testing.B) { benchParse(b, "w-200,h-200,cm-extract,x-10,y-20,e-usm-2-2-0.8-0.024,dpr-2") })
	b.Run("named", func(b *testing.B) { benchParse(b, "n-thumbnail,di-@@defaults@@missing.jpg") })
	b.Run("error", func(b *testing.B) { benchParse(b, "w-300,h-abc") })
}

func BenchmarkChainString(b *testing.B) {
	c, err := Parse("w-800,ar-16-9,c-at_max:rt-N90,fl-h:e-sharpen-10,r-max,bg-white,f-avif")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		_ = c.String()
	}
}

// benchParse measures Parse(s); s may be invalid.
func benchParse(b *testing.B, s string) {
	b.ReportAllocs()
	b.SetBytes(int64(len(s)))
	for b.Loop() {
		_, _ = Parse(s)
	}
}
