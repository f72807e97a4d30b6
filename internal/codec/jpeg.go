package codec

import (
	"bytes"
	"image"
	"image/jpeg"

	"github.com/imgcdn/imgcdn/internal/exif"
	"github.com/imgcdn/imgcdn/internal/icc"
)

// jpegMeta is what one walk over the segments before the first scan finds.
type jpegMeta struct {
	sof   byte     // SOFn marker (0xc0 baseline, 0xc2 progressive...), 0 if none
	comps int      // number of components in the frame
	icc   [][]byte // APP2 ICC_PROFILE chunk payloads, in file order
	exif  []byte   // payload of the first APP1 Exif segment, after its marker
	xmp   []byte   // payload of the first APP1 XMP segment, after its marker
}

const iccMarker = "ICC_PROFILE\x00"

// scanJPEG walks the marker segments of b up to the first scan. It never
// reads outside b and always moves forward.
func scanJPEG(b []byte) jpegMeta {
	var m jpegMeta
	for i := 2; i+4 <= len(b); {
		if b[i] != 0xff {
			return m
		}
		marker := b[i+1]
		if marker == 0xff {
			i++
			continue
		}
		i += 2
		switch {
		case marker == 0xd8 || marker == 0x01 || marker >= 0xd0 && marker <= 0xd7:
			continue
		case marker == 0xda || marker == 0xd9:
			return m
		}
		n := int(b[i])<<8 | int(b[i+1])
		if n < 2 {
			return m
		}
		end := min(i+n, len(b))
		seg := b[i+2 : end]
		switch {
		case marker == 0xe2 && bytes.HasPrefix(seg, []byte(iccMarker)) && len(m.icc) < 256:
			m.icc = append(m.icc, seg[len(iccMarker):])
		case marker == 0xe1 && m.exif == nil && bytes.HasPrefix(seg, []byte(exifMarker)):
			m.exif = seg[len(exifMarker):]
		case marker == 0xe1 && m.xmp == nil && bytes.HasPrefix(seg, []byte(xmpMarker)):
			m.xmp = seg[len(xmpMarker):]
		case marker >= 0xc0 && marker <= 0xcf && marker != 0xc4 && marker != 0xc8 && marker != 0xcc:
			if m.sof == 0 && len(seg) >= 6 {
				m.sof, m.comps = marker, int(seg[5])
			}
		}
		i = end
	}
	return m
}

// jpegICC reassembles the ICC profile from its APP2 chunks, each of which
// starts with its 1-based sequence number and the chunk count. It returns
// nil when the chunks are missing, repeated or inconsistent.
func jpegICC(chunks [][]byte) []byte {
	if len(chunks) == 0 {
		return nil
	}
	count := 0
	var ordered [256][]byte
	size := 0
	for _, c := range chunks {
		if len(c) < 2 {
			return nil
		}
		seq, n := int(c[0]), int(c[1])
		if count == 0 {
			count = n
		}
		if n != count || seq < 1 || seq > count || ordered[seq] != nil {
			return nil
		}
		ordered[seq] = c[2:]
		size += len(c) - 2
	}
	if count != len(chunks) || size == 0 || size > maxICCBytes {
		return nil
	}
	out := make([]byte, 0, size)
	for _, c := range ordered[1 : count+1] {
		out = append(out, c...)
	}
	return out
}

func probeJPEG(b []byte) (*probed, error) {
	cfg, err := jpeg.DecodeConfig(bytes.NewReader(b))
	if err != nil {
		return nil, decodeErr(JPEG, err)
	}
	m := scanJPEG(b)
	p := &probed{
		h: Header{
			Format:      JPEG,
			Width:       cfg.Width,
			Height:      cfg.Height,
			Orientation: exif.Orientation(exif.FromJPEG(b)),
		},
	}
	if m.sof >= 0xc0 && m.sof <= 0xc2 {
		// Huffman-coded scans code every 8×8 block of the first component
		// with at least one bit (two for sequential files: DC and end of
		// block), so a complete file holds at least one byte for every 512
		// pixels. A shorter one is cut short or made up, and refusing it
		// here keeps the decoder from allocating the planes (and, for a
		// progressive file, the coefficients) it declares.
		p.minBytes = int64(cfg.Width) * int64(cfg.Height) / 512
	}
	if m.comps == 4 {
		// The pixels are converted to sRGB, so a CMYK profile no longer
		// describes them: the decoder uses it instead.
		p.icc = func() []byte { return nil }
		p.cmykICC = func() []byte { return jpegICC(m.icc) }
	} else {
		p.icc = func() []byte { return jpegICC(m.icc) }
	}
	return p, nil
}

func decodeJPEG(b []byte, p *probed) (image.Image, error) {
	img, err := jpeg.Decode(bytes.NewReader(b))
	if err != nil {
		return nil, decodeErr(JPEG, err)
	}
	// *image.YCbCr and *image.Gray stay as they are. The decoder has
	// already undone the Adobe inversion of CMYK and YCCK files. A CMYK
	// image goes to sRGB through its embedded profile when it has one that
	// converts; otherwise with the plain formula, which is what browsers
	// without colour management show.
	if c, ok := img.(*image.CMYK); ok && p != nil && p.cmykICC != nil {
		if t := cmykTransform(p.cmykICC()); t != nil {
			return t.CMYK(c), nil
		}
	}
	return normalize(img), nil
}

// cmykTransform returns the conversion to sRGB of the CMYK profile b, or
// nil when there is no such profile or it cannot be used.
func cmykTransform(b []byte) *icc.Transform {
	if b == nil {
		return nil
	}
	prof, err := icc.Parse(b)
	if err != nil || prof.ColorSpace() != icc.CMYK {
		return nil
	}
	t, err := prof.ToSRGB()
	if err != nil {
		return nil
	}
	return t
}
