package pipeline

import (
	"errors"
	"image"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func px(n int) Dimension       { return Dimension{Pixels: n} }
func frac(f float64) Dimension { return Dimension{Fraction: f} }
func at(n int) Coord           { return Coord{Value: n, Set: true} }

func rect(x0, y0, x1, y1 int) image.Rectangle { return image.Rect(x0, y0, x1, y1) }

// plain returns the plan of a pure resize of the whole source to w×h.
func plain(src image.Point, w, h int) Plan {
	return Plan{Crop: image.Rectangle{Max: src}, Resize: image.Pt(w, h), Canvas: image.Pt(w, h)}
}

func TestPlanStep(t *testing.T) {
	s640 := image.Pt(640, 865)
	tests := map[string]struct {
		src  image.Point
		step Step
		want Plan
	}{
		// The table of URL-API.md, on a 640×865 source.
		"contract at_max":   {s640, Step{Width: px(300), Height: px(200), Crop: CropAtMax}, plain(s640, 148, 200)},
		"contract at_least": {s640, Step{Width: px(300), Height: px(200), Crop: CropAtLeast}, plain(s640, 300, 405)},
		"contract maintain_ratio": {s640, Step{Width: px(300), Height: px(200)},
			Plan{Crop: rect(0, 219, 640, 646), Resize: image.Pt(300, 200), Canvas: image.Pt(300, 200)}},
		"contract force": {s640, Step{Width: px(300), Height: px(200), Crop: CropForce}, plain(s640, 300, 200)},
		"contract pad_resize": {s640, Step{Width: px(300), Height: px(200), CropMode: CropModePadResize, Background: Color{R: 0xF3, G: 0xF3, B: 0xF3, Opacity: 100, Set: true}},
			Plan{Crop: rect(0, 0, 640, 865), Resize: image.Pt(148, 200), Canvas: image.Pt(300, 200), Offset: image.Pt(76, 0)}},
		"contract pad_resize left": {s640, Step{Width: px(300), Height: px(200), CropMode: CropModePadResize, Focus: FocusLeft},
			Plan{Crop: rect(0, 0, 640, 865), Resize: image.Pt(148, 200), Canvas: image.Pt(300, 200)}},
		"contract extract": {s640, Step{Width: px(200), Height: px(200), CropMode: CropModeExtract},
			Plan{Crop: rect(220, 332, 420, 532), Resize: image.Pt(200, 200), Canvas: image.Pt(200, 200)}},
		"contract pad_extract": {image.Pt(600, 600), Step{Width: px(700), Height: px(700), CropMode: CropModePadExtract},
			Plan{Crop: rect(0, 0, 600, 600), Resize: image.Pt(600, 600), Canvas: image.Pt(700, 700), Offset: image.Pt(50, 50)}},

		// No size: the identity.
		"no size":      {s640, Step{}, plain(s640, 640, 865)},
		"no size dpr":  {s640, Step{DPR: 2}, plain(s640, 640, 865)},
		"only quality": {s640, Step{Quality: 50, Crop: CropAtMax}, plain(s640, 640, 865)},

		// One side: the other follows the ratio; nothing is cropped.
		"width only":               {s640, Step{Width: px(320)}, plain(s640, 320, 433)},
		"height only":              {s640, Step{Height: px(100)}, plain(s640, 74, 100)},
		"width only enlarges":      {s640, Step{Width: px(1280)}, plain(s640, 1280, 1730)},
		"width only at_max":        {s640, Step{Width: px(1280), Crop: CropAtMax}, plain(s640, 640, 865)},
		"width only at_max shrink": {s640, Step{Width: px(320), Crop: CropAtMax}, plain(s640, 320, 433)},
		"width only at_max_enlarge": {s640, Step{Width: px(1280), Crop: CropAtMaxEnlarge},
			plain(s640, 1280, 1730)},
		"width only force":   {s640, Step{Width: px(320), Crop: CropForce}, plain(s640, 320, 433)},
		"width only pad":     {s640, Step{Width: px(320), CropMode: CropModePadResize}, plain(s640, 320, 433)},
		"width equal source": {s640, Step{Width: px(640)}, plain(s640, 640, 865)},

		// Fractions of the source size.
		"fraction width":  {s640, Step{Width: frac(0.5)}, plain(s640, 320, 433)},
		"fraction both":   {s640, Step{Width: frac(0.5), Height: frac(0.25), Crop: CropForce}, plain(s640, 320, 216)},
		"fraction height": {image.Pt(1000, 1000), Step{Height: frac(0.333)}, plain(image.Pt(1000, 1000), 333, 333)},

		// Aspect ratio: computes the missing side; ignored when both are given.
		"ar from width": {s640, Step{Width: px(320), AspectRatio: Ratio{W: 16, H: 9}},
			Plan{Crop: rect(0, 252, 640, 612), Resize: image.Pt(320, 180), Canvas: image.Pt(320, 180)}},
		"ar from height": {s640, Step{Height: px(90), AspectRatio: Ratio{W: 16, H: 9}},
			Plan{Crop: rect(0, 252, 640, 612), Resize: image.Pt(160, 90), Canvas: image.Pt(160, 90)}},
		"ar ignored with both": {s640, Step{Width: px(300), Height: px(200), AspectRatio: Ratio{W: 1, H: 1}, Crop: CropForce},
			plain(s640, 300, 200)},
		"ar at_max": {s640, Step{Width: px(320), AspectRatio: Ratio{W: 1, H: 1}, Crop: CropAtMax}, plain(s640, 237, 320)},

		// dpr multiplies w and h, unless a side would be < 1 or > 5000 px.
		"dpr 2":            {s640, Step{Width: px(150), Height: px(100), Crop: CropForce, DPR: 2}, plain(s640, 300, 200)},
		"dpr half":         {s640, Step{Width: px(300), DPR: 0.5}, plain(s640, 150, 203)},
		"dpr over 5000":    {s640, Step{Width: px(3000), DPR: 2}, plain(s640, 3000, 4055)},
		"dpr exactly 5000": {s640, Step{Width: px(2500), Crop: CropForce, DPR: 2}, plain(s640, 5000, 6758)},
		"dpr under 1":      {s640, Step{Width: px(4), Height: px(3), Crop: CropForce, DPR: 0.1}, plain(s640, 4, 3)},
		"dpr with fraction": {s640, Step{Width: frac(0.25), DPR: 2},
			plain(s640, 320, 433)},

		// c-maintain_ratio and the nine focus positions (wide box on a tall source: vertical slack).
		"focus center":       {image.Pt(400, 800), Step{Width: px(200), Height: px(200)}, cropPlan(rect(0, 200, 400, 600), 200, 200)},
		"focus top":          {image.Pt(400, 800), Step{Width: px(200), Height: px(200), Focus: FocusTop}, cropPlan(rect(0, 0, 400, 400), 200, 200)},
		"focus bottom":       {image.Pt(400, 800), Step{Width: px(200), Height: px(200), Focus: FocusBottom}, cropPlan(rect(0, 400, 400, 800), 200, 200)},
		"focus left tall":    {image.Pt(400, 800), Step{Width: px(200), Height: px(200), Focus: FocusLeft}, cropPlan(rect(0, 200, 400, 600), 200, 200)},
		"focus left":         {image.Pt(800, 400), Step{Width: px(200), Height: px(200), Focus: FocusLeft}, cropPlan(rect(0, 0, 400, 400), 200, 200)},
		"focus right":        {image.Pt(800, 400), Step{Width: px(200), Height: px(200), Focus: FocusRight}, cropPlan(rect(400, 0, 800, 400), 200, 200)},
		"focus top_left":     {image.Pt(800, 400), Step{Width: px(100), Height: px(100), Focus: FocusTopLeft}, cropPlan(rect(0, 0, 400, 400), 100, 100)},
		"focus top_right":    {image.Pt(800, 400), Step{Width: px(100), Height: px(100), Focus: FocusTopRight}, cropPlan(rect(400, 0, 800, 400), 100, 100)},
		"focus bottom_left":  {image.Pt(400, 800), Step{Width: px(100), Height: px(100), Focus: FocusBottomLeft}, cropPlan(rect(0, 400, 400, 800), 100, 100)},
		"focus bottom_right": {image.Pt(400, 800), Step{Width: px(100), Height: px(100), Focus: FocusBottomRight}, cropPlan(rect(0, 400, 400, 800), 100, 100)},
		"focus auto": {image.Pt(800, 400), Step{Width: px(200), Height: px(200), Focus: FocusAuto},
			Plan{Crop: rect(200, 0, 600, 400), Resize: image.Pt(200, 200), Canvas: image.Pt(200, 200), AutoFocus: true}},
		"maintain enlarges": {image.Pt(100, 50), Step{Width: px(400), Height: px(400)}, cropPlan(rect(25, 0, 75, 50), 400, 400)},

		// at_max / at_max_enlarge / at_least with both sides.
		"at_max no enlarge":      {image.Pt(100, 50), Step{Width: px(400), Height: px(400), Crop: CropAtMax}, plain(image.Pt(100, 50), 100, 50)},
		"at_max_enlarge":         {image.Pt(100, 50), Step{Width: px(400), Height: px(400), Crop: CropAtMaxEnlarge}, plain(image.Pt(100, 50), 400, 200)},
		"at_least enlarges":      {image.Pt(100, 50), Step{Width: px(400), Height: px(400), Crop: CropAtLeast}, plain(image.Pt(100, 50), 800, 400)},
		"at_max width limits":    {image.Pt(1000, 500), Step{Width: px(300), Height: px(300), Crop: CropAtMax}, plain(image.Pt(1000, 500), 300, 150)},
		"force enlarges":         {image.Pt(10, 10), Step{Width: px(30), Height: px(20), Crop: CropForce}, plain(image.Pt(10, 10), 30, 20)},
		"pad_resize enlarges":    {image.Pt(100, 50), Step{Width: px(400), Height: px(400), CropMode: CropModePadResize}, padPlan(image.Pt(100, 50), 400, 200, 400, 400, 0, 100)},
		"pad_resize bottom":      {image.Pt(100, 50), Step{Width: px(400), Height: px(400), CropMode: CropModePadResize, Focus: FocusBottom}, padPlan(image.Pt(100, 50), 400, 200, 400, 400, 0, 200)},
		"pad_resize top":         {image.Pt(100, 50), Step{Width: px(400), Height: px(400), CropMode: CropModePadResize, Focus: FocusTop}, padPlan(image.Pt(100, 50), 400, 200, 400, 400, 0, 0)},
		"pad_resize right":       {s640, Step{Width: px(300), Height: px(200), CropMode: CropModePadResize, Focus: FocusRight}, padPlan(s640, 148, 200, 300, 200, 152, 0)},
		"pad_resize exact ratio": {image.Pt(400, 200), Step{Width: px(200), Height: px(100), CropMode: CropModePadResize}, plain(image.Pt(400, 200), 200, 100)},

		// Extracts: fo, x/y (top-left) and xc/yc (centre); pad_extract.
		"extract top_left": {s640, Step{Width: px(100), Height: px(50), CropMode: CropModeExtract, Focus: FocusTopLeft},
			cropPlan(rect(0, 0, 100, 50), 100, 50)},
		"extract bottom_right": {s640, Step{Width: px(100), Height: px(50), CropMode: CropModeExtract, Focus: FocusBottomRight},
			cropPlan(rect(540, 815, 640, 865), 100, 50)},
		"extract xy": {s640, Step{Width: px(100), Height: px(50), CropMode: CropModeExtract, X: at(10), Y: at(20)},
			cropPlan(rect(10, 20, 110, 70), 100, 50)},
		"extract x only": {s640, Step{Width: px(100), Height: px(50), CropMode: CropModeExtract, X: at(10)},
			cropPlan(rect(10, 407, 110, 457), 100, 50)},
		"extract centre": {s640, Step{Width: px(100), Height: px(50), CropMode: CropModeExtract, XC: at(320), YC: at(100)},
			cropPlan(rect(270, 75, 370, 125), 100, 50)},
		"extract whole": {s640, Step{Width: px(640), Height: px(865), CropMode: CropModeExtract, X: at(0), Y: at(0)},
			cropPlan(rect(0, 0, 640, 865), 640, 865)},
		"extract width only": {s640, Step{Width: px(100), CropMode: CropModeExtract},
			cropPlan(rect(270, 0, 370, 865), 100, 865)},
		"extract fraction": {s640, Step{Width: frac(0.5), Height: frac(0.5), CropMode: CropModeExtract, X: at(0), Y: at(0)},
			cropPlan(rect(0, 0, 320, 433), 320, 433)},
		"extract auto": {image.Pt(800, 400), Step{Width: px(200), Height: px(200), CropMode: CropModeExtract, Focus: FocusAuto},
			Plan{Crop: rect(300, 100, 500, 300), Resize: image.Pt(200, 200), Canvas: image.Pt(200, 200), AutoFocus: true}},
		"pad_extract inside": {s640, Step{Width: px(200), Height: px(200), CropMode: CropModePadExtract},
			cropPlan(rect(220, 332, 420, 532), 200, 200)},
		"pad_extract xy overflow": {image.Pt(100, 100), Step{Width: px(80), Height: px(80), CropMode: CropModePadExtract, X: at(50), Y: at(60)},
			Plan{Crop: rect(50, 60, 100, 100), Resize: image.Pt(50, 40), Canvas: image.Pt(80, 80)}},
		"pad_extract top_left": {image.Pt(600, 600), Step{Width: px(700), Height: px(700), CropMode: CropModePadExtract, Focus: FocusTopLeft},
			Plan{Crop: rect(0, 0, 600, 600), Resize: image.Pt(600, 600), Canvas: image.Pt(700, 700)}},
		"pad_extract wide": {image.Pt(600, 600), Step{Width: px(700), Height: px(100), CropMode: CropModePadExtract},
			Plan{Crop: rect(0, 250, 600, 350), Resize: image.Pt(600, 100), Canvas: image.Pt(700, 100), Offset: image.Pt(50, 0)}},

		// Tiny and extreme sources.
		"1x1 maintain":       {image.Pt(1, 1), Step{Width: px(300), Height: px(200)}, cropPlan(rect(0, 0, 1, 1), 300, 200)},
		"1x1 width":          {image.Pt(1, 1), Step{Width: px(10)}, plain(image.Pt(1, 1), 10, 10)},
		"1x1 at_max":         {image.Pt(1, 1), Step{Width: px(10), Height: px(10), Crop: CropAtMax}, plain(image.Pt(1, 1), 1, 1)},
		"1x1 fraction":       {image.Pt(1, 1), Step{Width: frac(0.5)}, plain(image.Pt(1, 1), 1, 1)},
		"1x1 pad":            {image.Pt(1, 1), Step{Width: px(3), Height: px(5), CropMode: CropModePadResize}, padPlan(image.Pt(1, 1), 3, 3, 3, 5, 0, 1)},
		"very wide shrink":   {image.Pt(10000, 1), Step{Width: px(100)}, plain(image.Pt(10000, 1), 100, 1)},
		"very wide height":   {image.Pt(10000, 1), Step{Height: px(10)}, plain(image.Pt(10000, 1), 100000, 10)},
		"very tall at_max":   {image.Pt(1, 10000), Step{Width: px(100), Height: px(100), Crop: CropAtMax}, plain(image.Pt(1, 10000), 1, 100)},
		"very tall crop":     {image.Pt(2, 10000), Step{Width: px(100), Height: px(100)}, cropPlan(rect(0, 4999, 2, 5001), 100, 100)},
		"very wide at_least": {image.Pt(10000, 2), Step{Width: px(50), Height: px(50), Crop: CropAtLeast}, plain(image.Pt(10000, 2), 250000, 50)},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			got, err := PlanStep(tc.src, tc.step)
			if err != nil {
				t.Fatalf("PlanStep(%v, %+v): %v", tc.src, tc.step, err)
			}
			if d := cmp.Diff(tc.want, got); d != "" {
				t.Errorf("PlanStep(%v, %+v) mismatch (-want +got):\n%s", tc.src, tc.step, d)
			}
			// Invariants every plan holds.
			if !got.Crop.In(image.Rectangle{Max: tc.src}) || got.Crop.Empty() {
				t.Errorf("crop %v not a non-empty part of %v", got.Crop, tc.src)
			}
			if r := (image.Rectangle{Min: got.Offset, Max: got.Offset.Add(got.Resize)}); !r.In(image.Rectangle{Max: got.Canvas}) {
				t.Errorf("resized image at %v does not fit the %v canvas", r, got.Canvas)
			}
		})
	}
}

func cropPlan(crop image.Rectangle, w, h int) Plan {
	return Plan{Crop: crop, Resize: image.Pt(w, h), Canvas: image.Pt(w, h)}
}

func padPlan(src image.Point, rw, rh, cw, ch, ox, oy int) Plan {
	return Plan{Crop: image.Rectangle{Max: src}, Resize: image.Pt(rw, rh), Canvas: image.Pt(cw, ch), Offset: image.Pt(ox, oy)}
}

func TestPlanStepErrors(t *testing.T) {
	s640 := image.Pt(640, 865)
	tests := map[string]struct {
		src  image.Point
		step Step
		want error
	}{
		"extract wider than source":  {s640, Step{Width: px(700), Height: px(100), CropMode: CropModeExtract}, ErrExtractOutside},
		"extract x past right":       {s640, Step{Width: px(100), Height: px(100), CropMode: CropModeExtract, X: at(600), Y: at(0)}, ErrExtractOutside},
		"extract y past bottom":      {s640, Step{Width: px(100), Height: px(100), CropMode: CropModeExtract, X: at(0), Y: at(800)}, ErrExtractOutside},
		"extract centre near origin": {s640, Step{Width: px(100), Height: px(100), CropMode: CropModeExtract, XC: at(10), YC: at(300)}, ErrExtractOutside},
		"pad_extract no overlap":     {s640, Step{Width: px(100), Height: px(100), CropMode: CropModePadExtract, X: at(700), Y: at(0)}, ErrExtractOutside},
		"huge":                       {image.Pt(1, 100000), Step{Width: px(100000)}, ErrOutputTooLarge},
		"huge at_least":              {image.Pt(100000, 1), Step{Width: px(100), Height: px(100000), Crop: CropAtLeast}, ErrOutputTooLarge},
		"huge extract":               {image.Pt(10, 10), Step{Width: px(1 << 25), CropMode: CropModePadExtract}, ErrOutputTooLarge},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			got, err := PlanStep(tc.src, tc.step)
			if !errors.Is(err, tc.want) {
				t.Fatalf("PlanStep(%v, %+v) = %+v, %v; want error %v", tc.src, tc.step, got, err, tc.want)
			}
			if errors.Is(err, ErrExtractOutside) {
				var pe *ParamError
				if !errors.As(err, &pe) || pe.Param != "cm" {
					t.Errorf("error %v is not a *ParamError for cm", err)
				}
			}
		})
	}
	if _, err := PlanStep(image.Point{}, Step{}); err == nil {
		t.Error("PlanStep on an empty source succeeded")
	}
}
