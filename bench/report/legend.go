package report

import (
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// key is one entry of a legend: a thumbnail of what it names, then its
// label.
type key struct {
	label string
	thumb plot.Thumbnailer
}

// Legend geometry, in points.
const (
	thumbWidth = 22 // a key's thumbnail
	keyPad     = 6  // between a thumbnail and its label
	keyGap     = 16 // between two keys of a row
)

// legendStyle is the style of the labels of legends.
func legendStyle() text.Style { return textStyle(10) }

// keyWidth returns the width of k drawn in sty.
func keyWidth(k key, sty text.Style) vg.Length { return thumbWidth + keyPad + sty.Width(k.label) }

// keyGrid lays keys out in rows of equal columns across width, left to
// right, as many columns as the widest key allows: it returns the
// columns and rows. A legend so laid out stays outside the data, however
// many targets the chart overlays.
func keyGrid(keys []key, width vg.Length, sty text.Style) (cols, rows int, colWidth vg.Length) {
	if len(keys) == 0 {
		return 0, 0, 0
	}
	for _, k := range keys {
		colWidth = max(colWidth, keyWidth(k, sty))
	}
	colWidth += keyGap
	cols = max(1, min(len(keys), int((width+keyGap)/colWidth)))
	rows = (len(keys) + cols - 1) / cols
	return cols, rows, colWidth
}

// rowHeight is the height of one row of keys.
func rowHeight(sty text.Style) vg.Length { return sty.Height("Xg") + 4 }

// gridHeight returns the height keys take laid out across width.
func gridHeight(keys []key, width vg.Length) vg.Length {
	sty := legendStyle()
	_, rows, _ := keyGrid(keys, width, sty)
	return vg.Length(rows) * rowHeight(sty)
}

// drawGrid draws keys in rows from the top-left corner (x, top), across
// width.
func drawGrid(dc draw.Canvas, keys []key, x, top, width vg.Length) {
	sty := legendStyle()
	cols, _, colWidth := keyGrid(keys, width, sty)
	h := rowHeight(sty)
	for i, k := range keys {
		kx := x + vg.Length(i%cols)*colWidth
		ky := top - vg.Length(i/cols+1)*h
		drawKey(dc, k, kx, ky, h, sty)
	}
}

// drawRow draws keys in one row from (x, bottom), each right after the
// one before, and returns where the row ends.
func drawRow(dc draw.Canvas, keys []key, x, bottom vg.Length) vg.Length {
	sty := legendStyle()
	h := rowHeight(sty)
	for _, k := range keys {
		drawKey(dc, k, x, bottom, h, sty)
		x += keyWidth(k, sty) + keyGap
	}
	return x
}

// drawKey draws k in a box of height h from (x, y), its bottom-left
// corner.
func drawKey(dc draw.Canvas, k key, x, y, h vg.Length, sty text.Style) {
	if k.thumb != nil {
		tc := dc
		tc.Rectangle = vg.Rectangle{Min: vg.Point{X: x, Y: y + 2}, Max: vg.Point{X: x + thumbWidth, Y: y + h - 2}}
		k.thumb.Thumbnail(&tc)
	}
	sty.YAlign = draw.YCenter
	dc.FillText(sty, vg.Point{X: x + thumbWidth + keyPad, Y: y + h/2}, k.label)
}
