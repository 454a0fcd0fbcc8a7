package report

import (
	"bytes"
	"fmt"
	"html/template"
	"image/color"
	"math"
	"strconv"
	"strings"

	stdfont "golang.org/x/image/font"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgsvg"
)

// Chart size. The page scales the SVG to the width of its column.
const (
	chartWidth  = 10 * vg.Inch
	chartHeight = 4.4 * vg.Inch
	gap         = 8 // points between the plot, its legend and its labels
)

// lowestMs is the floor of the log-scale latency axes: the lowest value the
// histograms resolve, 1 µs.
const lowestMs = 0.001

// textStyle returns the style of chart text of the given size in points. The
// charts use Liberation Sans, whose metrics match Arial and Helvetica, so the
// page can fall back to those when Liberation is not installed.
func textStyle(size vg.Length) text.Style {
	return text.Style{
		Color:   color.Black,
		Font:    font.From(font.Font{Typeface: "Liberation", Variant: "Sans"}, size),
		Handler: plot.DefaultTextHandler,
	}
}

// newPlot returns an empty plot with the house style. The label of the y
// axis is drawn by chart.svg: gonum/plot reserves room for it as if the axis
// were linear, which leaves a wide gap above a log-scale plot.
func newPlot(xlabel string) *plot.Plot {
	p := plot.New()
	for _, a := range []*plot.Axis{&p.X, &p.Y} {
		a.Label.TextStyle.Font = textStyle(11).Font
		a.Tick.Label.Font = textStyle(10).Font
		a.Tick.Length = 5
	}
	p.X.Label.Text = xlabel
	return p
}

// chart is one plot, or several stacked as small multiples on one x
// axis (a panel per target, sharing their axes), with the y label at the
// left, the labels of spans of the x axis (phases) in a band above the
// first panel, and a legend in rows under the last, outside the data.
type chart struct {
	panels []panel
	ylabel string
	legend []key
	spans  []span
}

// panel is one plot of a chart. A panel of small multiples has a title,
// its target's name in its colour, with keys in a row beside it.
type panel struct {
	p     *plot.Plot
	title string
	color color.RGBA
	keys  []key
}

// panelHeight is the height of one plot of small multiples.
const panelHeight = 1.6 * vg.Inch

// span is a labelled stretch of the x axis.
type span struct {
	From, To float64
	Label    string
	Shade    bool // draw the stretch shaded: no traffic
}

// svg draws c and returns it as an inline <svg> element; nothing if c has
// no panel.
func (c *chart) svg() (out template.HTML, err error) {
	defer func() {
		// gonum/plot panics on impossible input (e.g. a log axis
		// reaching zero): report it rather than crash the run.
		if r := recover(); r != nil {
			err = fmt.Errorf("drawing chart: %v", r)
		}
	}()
	if len(c.panels) == 0 {
		return "", nil
	}
	ysty := textStyle(11)
	ysty.Rotation, ysty.XAlign, ysty.YAlign = math.Pi/2, draw.XCenter, draw.YTop
	left := ysty.Height(c.ylabel) + gap
	// The x label is drawn here too, once, under the bottom panel:
	// gonum/plot centres it on the middle of the axis's data range, far
	// right on a log axis, and makes room for it there.
	xsty := textStyle(11)
	xsty.XAlign = draw.XCenter
	xlabel := c.panels[len(c.panels)-1].p.X.Label.Text
	for _, pn := range c.panels {
		pn.p.X.Label.Text = ""
	}
	var xlabelHeight vg.Length
	if xlabel != "" {
		xlabelHeight = xsty.Height(xlabel) + gap/2
	}

	// The x axis of a data area does not depend on its height: lay the
	// span labels out, and measure the data's width, on a probe canvas.
	first := c.panels[0].p
	probe := draw.Crop(draw.New(vgsvg.New(chartWidth, chartHeight)), left, -gap, 0, 0)
	data := first.DataCanvas(probe)
	xf, _ := first.Transforms(&data)
	dataLeft, dataWidth := data.Min.X, data.Max.X-data.Min.X
	sty := textStyle(9)
	sty.Color = rgb(0x444444)
	lineHeight := sty.Height("Xg") + 2
	var x, w []vg.Length
	for _, s := range c.spans {
		lw := sty.Width(s.Label)
		x, w = append(x, min(xf(s.From)+3, data.Max.X-lw)), append(w, lw)
	}
	rows, n := labelRows(x, w, 3)
	var band vg.Length
	if n > 0 {
		band = vg.Length(n)*lineHeight + gap/2
	}
	legendHeight := gridHeight(c.legend, dataWidth)
	if legendHeight > 0 {
		legendHeight += gap
	}
	header := vg.Length(0)
	if c.panels[0].title != "" {
		header = rowHeight(legendStyle())
	}
	height := chartHeight
	if len(c.panels) > 1 || header > 0 {
		height = gap + band + vg.Length(len(c.panels))*(header+panelHeight) + xlabelHeight + legendHeight
	}

	canvas := vgsvg.New(chartWidth, height)
	dc := draw.New(canvas)
	dc.SetColor(color.White)
	dc.Fill(dc.Rectangle.Path())

	top := dc.Max.Y - gap - band
	bottom := dc.Min.Y + legendHeight + xlabelHeight
	plotHeight := (top - bottom) / vg.Length(len(c.panels))
	var dataTop, dataBottom vg.Length
	var xmid vg.Length
	for i, pn := range c.panels {
		area := draw.Crop(dc, left, -gap, 0, 0)
		area.Max.Y = top - vg.Length(i)*plotHeight - header
		area.Min.Y = top - vg.Length(i+1)*plotHeight
		pn.p.Draw(area)
		d := pn.p.DataCanvas(area)
		xmid = (d.Min.X + d.Max.X) / 2
		if i == 0 {
			dataTop = d.Max.Y
			for j, s := range c.spans {
				if rows[j] >= 0 {
					y := top + gap/2 + vg.Length(n-1-rows[j])*lineHeight + sty.FontExtents().Descent
					dc.FillText(sty, vg.Point{X: x[j], Y: y}, s.Label)
				}
			}
		}
		dataBottom = d.Min.Y
		if pn.title != "" {
			tsty := legendStyle()
			tsty.Font.Weight = stdfont.WeightBold
			tsty.Color, tsty.YAlign = pn.color, draw.YCenter
			y := area.Max.Y + header/2
			dc.FillText(tsty, vg.Point{X: d.Min.X, Y: y}, pn.title)
			drawRow(dc, pn.keys, d.Min.X+tsty.Width(pn.title)+keyGap, area.Max.Y)
		}
	}
	dc.FillText(ysty, vg.Point{X: dc.Min.X + 2, Y: (dataTop + dataBottom) / 2}, c.ylabel)
	if xlabel != "" {
		dc.FillText(xsty, vg.Point{X: xmid, Y: dc.Min.Y + legendHeight + xsty.FontExtents().Descent}, xlabel)
	}
	drawGrid(dc, c.legend, dataLeft, dc.Min.Y+legendHeight-gap/2, dataWidth)

	var buf bytes.Buffer
	if _, err := canvas.WriteTo(&buf); err != nil {
		return "", err
	}
	return inline(buf.Bytes()), nil
}

// spanMarks draws spans on the data area of a plot: a shade over those
// without traffic and a dashed line at the start of each.
type spanMarks []span

// Plot implements plot.Plotter.
func (m spanMarks) Plot(c draw.Canvas, p *plot.Plot) {
	xf, _ := p.Transforms(&c)
	line := draw.LineStyle{Color: rgb(0x888888), Width: 0.75, Dashes: []vg.Length{3, 3}}
	for _, s := range m {
		x0, x1 := max(xf(s.From), c.Min.X), min(xf(s.To), c.Max.X)
		if s.Shade && x1 > x0 {
			c.FillPolygon(rgb(0xeeeeee), []vg.Point{
				{X: x0, Y: c.Min.Y}, {X: x1, Y: c.Min.Y},
				{X: x1, Y: c.Max.Y}, {X: x0, Y: c.Max.Y},
			})
		}
		if s.From > p.X.Min && x0 < c.Max.X {
			c.StrokeLine2(line, x0, c.Min.Y, x0, c.Max.Y)
		}
	}
}

// labelRows assigns each label, drawn left-aligned at x[i] with width
// w[i], to the first row where it does not overlap the label before it,
// and returns the rows (−1: no row has room) and how many rows are used.
func labelRows(x, w []vg.Length, most int) ([]int, int) {
	rows := make([]int, len(x))
	ends := []vg.Length{}
	for i := range x {
		rows[i] = -1
		for r := range most {
			if r == len(ends) {
				ends = append(ends, vg.Length(math.Inf(-1)))
			}
			if x[i] >= ends[r] {
				rows[i] = r
				ends[r] = x[i] + w[i] + gap
				break
			}
		}
	}
	return rows, len(ends)
}

// inline turns the SVG document src into an element for an HTML page: it
// drops the XML declaration and the generator comment.
func inline(src []byte) template.HTML {
	if i := bytes.Index(src, []byte("<svg")); i >= 0 {
		src = src[i:]
	}
	return template.HTML(strings.TrimSpace(string(src)))
}

// logTicks marks a log-scale axis of milliseconds: labels at 1, 2 and 5 times
// powers of ten when the axis spans few decades, at powers of ten only
// otherwise or when sparse (a short panel), with minor ticks in between.
type logTicks struct{ sparse bool }

// Ticks implements plot.Ticker.
func (lt logTicks) Ticks(lo, hi float64) []plot.Tick {
	if lo <= 0 || hi <= lo {
		return nil
	}
	first := int(math.Floor(math.Log10(lo)))
	last := int(math.Ceil(math.Log10(hi)))
	dense := !lt.sparse && last-first <= 3
	var ticks []plot.Tick
	for e := first; e <= last; e++ {
		for m := 1; m <= 9; m++ {
			v := float64(m) * math.Pow10(e)
			if v < lo*(1-1e-9) || v > hi*(1+1e-9) {
				continue
			}
			t := plot.Tick{Value: v}
			if m == 1 || dense && (m == 2 || m == 5) {
				t.Label = strconv.FormatFloat(v, 'g', 6, 64)
			}
			ticks = append(ticks, t)
		}
	}
	return ticks
}

// logRange widens [lo, hi] to the nearest 1, 2 or 5 times a power of ten on
// each side, so that the ends of a log axis carry labels.
func logRange(lo, hi float64) (float64, float64) {
	lo = math.Max(lo, lowestMs)
	hi = math.Max(hi, lo)
	down := func(v float64) float64 {
		e := math.Pow10(int(math.Floor(math.Log10(v))))
		for _, m := range []float64{5, 2, 1} {
			if m*e <= v*(1+1e-9) {
				return m * e
			}
		}
		return e
	}
	up := func(v float64) float64 {
		e := math.Pow10(int(math.Floor(math.Log10(v))))
		for _, m := range []float64{1, 2, 5, 10} {
			if m*e >= v*(1-1e-9) {
				return m * e
			}
		}
		return 10 * e
	}
	lo, hi = down(lo), up(hi)
	if hi <= lo {
		hi = up(lo * 1.5)
	}
	return lo, hi
}

// lineThumb shows a line style in a legend.
type lineThumb draw.LineStyle

// Thumbnail implements plot.Thumbnailer.
func (t lineThumb) Thumbnail(c *draw.Canvas) {
	y := c.Center().Y
	c.StrokeLine2(draw.LineStyle(t), c.Min.X, y, c.Max.X, y)
}

// rgb returns the opaque color 0xRRGGBB.
func rgb(v uint32) color.RGBA {
	return color.RGBA{R: uint8(v >> 16), G: uint8(v >> 8), B: uint8(v), A: 0xff}
}

// lighter mixes c with white, f of the way.
func lighter(c color.RGBA, f float64) color.RGBA {
	mix := func(v uint8) uint8 { return uint8(float64(v) + f*(255-float64(v)) + 0.5) }
	return color.RGBA{R: mix(c.R), G: mix(c.G), B: mix(c.B), A: 0xff}
}
