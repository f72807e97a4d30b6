package codec

import (
	"bytes"
	"encoding/binary"

	"github.com/imgcdn/imgcdn/internal/raster"
)

// maxBoxes bounds the boxes read at any one level of an ISO-BMFF file, and
// the properties and associations read from the item property boxes.
const maxBoxes = 4096

// box is one ISO-BMFF box: its type and payload.
type box struct {
	typ     string
	payload []byte
}

// boxes splits b into its boxes, stopping at the first malformed one (a
// size that is too small or runs past b) or after maxBoxes.
func boxes(b []byte) []box {
	var out []box
	for len(b) >= 8 && len(out) < maxBoxes {
		size := uint64(binary.BigEndian.Uint32(b))
		hdr := uint64(8)
		switch size {
		case 0: // to the end
			size = uint64(len(b))
		case 1: // 64-bit size
			if len(b) < 16 {
				return out
			}
			size, hdr = binary.BigEndian.Uint64(b[8:16]), 16
		}
		if size < hdr || size > uint64(len(b)) {
			return out
		}
		out = append(out, box{string(b[4:8]), b[hdr:size]})
		b = b[size:]
	}
	return out
}

// child returns the payload of the first box of type typ in bs.
func child(bs []box, typ string) ([]byte, bool) {
	for _, x := range bs {
		if x.typ == typ {
			return x.payload, true
		}
	}
	return nil, false
}

// probeHEIF reads what an AVIF or HEIF file declares about its primary
// image: the size from its ispe property, the orientation from its irot
// and imir properties, an ICC profile from a colr property of type prof
// or rICC, and whether an alpha auxiliary image exists. It leaves the size
// at zero when the boxes cannot be read. It never fails: for AVIF, it sets
// minBytes to the end of the item data the iloc box declares, so that a
// truncated file is refused before the decoder allocates its pixels.
func probeHEIF(b []byte, f Format) *probed {
	p := &probed{h: Header{Format: f, Orientation: 1}}
	meta, ok := child(boxes(b), "meta")
	if !ok || len(meta) < 4 {
		return p
	}
	mb := boxes(meta[4:]) // meta is a full box: version and flags first
	if f == AVIF {
		p.minBytes = itemDataEnd(mb)
	}
	primary, ok := pitm(mb)
	if !ok {
		return p
	}
	iprp, ok := child(mb, "iprp")
	if !ok {
		return p
	}
	ib := boxes(iprp)
	ipco, ok := child(ib, "ipco")
	if !ok {
		return p
	}
	props := boxes(ipco)
	for _, pr := range props {
		if pr.typ == "auxC" && len(pr.payload) > 4 {
			urn := pr.payload[4:]
			if bytes.HasPrefix(urn, []byte("urn:mpeg:mpegB:cicp:systems:auxiliary:alpha")) ||
				bytes.HasPrefix(urn, []byte("urn:mpeg:hevc:2015:auxid:1")) {
				p.h.HasAlpha = true
			}
		}
	}
	o := raster.OrientNormal
	var icc []byte
	for _, idx := range associations(ib, primary) {
		if idx < 1 || idx > len(props) {
			continue
		}
		pr := props[idx-1]
		switch pr.typ {
		case "ispe":
			if len(pr.payload) >= 12 && p.h.Width == 0 {
				w := binary.BigEndian.Uint32(pr.payload[4:8])
				h := binary.BigEndian.Uint32(pr.payload[8:12])
				if w <= 1<<30 && h <= 1<<30 {
					p.h.Width, p.h.Height = int(w), int(h)
				}
			}
		case "irot":
			if len(pr.payload) >= 1 {
				// Anticlockwise quarter turns.
				o = raster.Compose(o, [4]int{1, 8, 3, 6}[pr.payload[0]&3])
			}
		case "colr":
			// An ICC profile: colour_type "prof" (restricted) or "rICC"
			// (unrestricted), then the profile. "nclx" boxes hold
			// code points, not a profile.
			if len(pr.payload) > 4 && icc == nil {
				if t := string(pr.payload[:4]); t == "prof" || t == "rICC" {
					icc = pr.payload[4:]
				}
			}
		case "imir":
			if len(pr.payload) >= 1 {
				// Axis 0 exchanges top and bottom, 1 left and right
				// (ISO/IEC 23008-12:2022, 6.5.12).
				o = raster.Compose(o, [2]int{raster.OrientFlipV, raster.OrientFlipH}[pr.payload[0]&1])
			}
		}
	}
	p.h.Orientation = o
	if icc != nil {
		p.icc = func() []byte {
			if len(icc) > maxICCBytes {
				return nil
			}
			return bytes.Clone(icc)
		}
	}
	return p
}

// pitm returns the primary item ID from the boxes of meta.
func pitm(mb []box) (uint32, bool) {
	d, ok := child(mb, "pitm")
	if !ok || len(d) < 6 {
		return 0, false
	}
	if d[0] == 0 {
		return uint32(binary.BigEndian.Uint16(d[4:6])), true
	}
	if len(d) < 8 {
		return 0, false
	}
	return binary.BigEndian.Uint32(d[4:8]), true
}

// associations returns the 1-based property indices that the ipma boxes in
// ib associate with item, in order.
func associations(ib []box, item uint32) []int {
	var out []int
	for _, x := range ib {
		if x.typ != "ipma" || len(x.payload) < 8 {
			continue
		}
		d := x.payload
		version, flags := d[0], d[3]
		count := binary.BigEndian.Uint32(d[4:8])
		d = d[8:]
		for e := uint32(0); e < count && e < maxBoxes; e++ {
			var id uint32
			if version < 1 {
				if len(d) < 3 {
					return out
				}
				id, d = uint32(binary.BigEndian.Uint16(d)), d[2:]
			} else {
				if len(d) < 5 {
					return out
				}
				id, d = binary.BigEndian.Uint32(d), d[4:]
			}
			n := int(d[0])
			d = d[1:]
			size := 1
			if flags&1 != 0 {
				size = 2
			}
			if len(d) < n*size {
				return out
			}
			for i := 0; i < n && id == item; i++ {
				if size == 2 {
					out = append(out, int(binary.BigEndian.Uint16(d[2*i:])&0x7fff))
				} else {
					out = append(out, int(d[i]&0x7f))
				}
			}
			d = d[n*size:]
		}
	}
	return out
}
