package report

import (
	"fmt"
	"image/color"
	"slices"
)

// okabeIto is the colour-blind-safe palette of Okabe and Ito (2008), in
// the order targets take it: blue, orange, bluish green, reddish purple,
// sky blue, vermillion, yellow, black. A ninth target takes the first
// again.
func okabeIto() []color.RGBA {
	return []color.RGBA{
		rgb(0x0072b2), rgb(0xe69f00), rgb(0x009e73), rgb(0xcc79a7),
		rgb(0x56b4e9), rgb(0xd55e00), rgb(0xf0e442), rgb(0x000000),
	}
}

// palette gives each target its colour, by its position in the scenario,
// so that a target has the same colour in every chart and table of the
// report.
type palette struct {
	order []string // target names, scenario order first
}

// newPalette returns the palette of in: the scenario's targets in order,
// then any recorded target the scenario does not name.
func newPalette(in Input) palette {
	var p palette
	if in.Scenario != nil {
		p.order = in.Scenario.Names()
	}
	for _, t := range in.Targets {
		if t != nil && !slices.Contains(p.order, t.Name) {
			p.order = append(p.order, t.Name)
		}
	}
	return p
}

// color returns the colour of the target called name.
func (p palette) color(name string) color.RGBA {
	colors := okabeIto()
	i := slices.Index(p.order, name)
	if i < 0 {
		i = len(p.order)
	}
	return colors[i%len(colors)]
}

// css returns the colour of the target called name as #rrggbb.
func (p palette) css(name string) string {
	c := p.color(name)
	return fmt.Sprintf("#%02x%02x%02x", c.R, c.G, c.B)
}

// coldColor is the colour of the marks of cold starts, whatever the
// target: near black, told from the lines by its shape.
func coldColor() color.RGBA { return rgb(0x222222) }
