package runs

import (
	"bufio"
	"io"
	"os"
	"path/filepath"
	"time"

	hdrhistogram "github.com/HdrHistogram/hdrhistogram-go"

	"github.com/coldbench/coldbench/bench/record"
)

// PhasesComment is the comment in the header of phases.hlog.
const PhasesComment = "[coldbench: one interval per phase of the schedule, in phase order, every class of every target, empty ones included; " +
	"values in microseconds, so Interval_Max is in seconds; tags are <target>/<class>, <target>/<class>/corrected, <target>/<class>/net (less host wait, where measured) and <target>/lag, the generator's lateness]"

// WritePhases writes the phases of targets to w as phases.hlog: an
// interval log in the format of histograms.hlog (hdrhistogram-go's
// HistogramLogWriter, the same header with start and base time started)
// whose intervals are the phases of the schedule. For each target, phase
// and class it holds the phase's histogram, tagged "<target>/<class>", and
// its corrected one, "<target>/<class>/corrected", where the target's host
// wait was measured the one less host wait, "<target>/<class>/net", then
// the generator's
// lag in the phase, "<target>/lag" (when the target has one, Target.Lag),
// stamped with the phase's absolute start and end (Target.Began plus the
// phase's offsets). Every
// phase is written, empty or not, so that entry i of a tag is phase i:
// unlike histograms.hlog, whose intervals are seconds, it gives each
// phase's histograms exactly.
func WritePhases(w io.Writer, started time.Time, targets []*record.Target) error {
	lw := hdrhistogram.NewHistogramLogWriter(w)
	if err := WriteLogHeader(lw, started, PhasesComment); err != nil {
		return err
	}
	for _, t := range targets {
		if t == nil {
			continue
		}
		for _, p := range t.Phases {
			start, end := t.Began.Add(p.Start).UnixMilli(), t.Began.Add(p.End).UnixMilli()
			for _, c := range phaseClasses(t.Kind, p) {
				s := p.Classes[c]
				tag := t.Name + "/" + string(c)
				views := []struct {
					tag string
					h   *hdrhistogram.Histogram
				}{{tag, s.Histogram}, {tag + "/corrected", s.Corrected}}
				if t.HostWait {
					views = append(views, struct {
						tag string
						h   *hdrhistogram.Histogram
					}{tag + "/net", s.Net})
				}
				for _, h := range views {
					if err := lw.OutputIntervalHistogram(stamped(h.h, h.tag, start, end)); err != nil {
						return err
					}
				}
			}
			if t.Lag != nil {
				if err := lw.OutputIntervalHistogram(stamped(p.Lag, t.Name+"/lag", start, end)); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// phaseClasses returns the classes of p in the order they are written:
// record.Known's in its order, then any other, sorted
// (record.SortClasses).
func phaseClasses(kind string, p *record.Phase) []record.Class {
	var have []record.Class
	for c, s := range p.Classes {
		if s != nil {
			have = append(have, c)
		}
	}
	return record.SortClasses(have)
}

// stamped returns a copy of h (an empty histogram if h is nil) tagged tag
// and stamped with start and end, in ms since the epoch; h is left alone.
func stamped(h *hdrhistogram.Histogram, tag string, start, end int64) *hdrhistogram.Histogram {
	c := record.NewHistogram()
	if h != nil {
		c = hdrhistogram.Import(h.Export())
	}
	c.SetTag(tag)
	c.SetStartTimeMs(start)
	c.SetEndTimeMs(end)
	return c
}

// WritePhasesFile writes PhasesFile into the run folder dir.
func WritePhasesFile(dir string, started time.Time, targets []*record.Target) error {
	f, err := os.Create(filepath.Join(dir, PhasesFile))
	if err != nil {
		return err
	}
	buf := bufio.NewWriter(f)
	if err := WritePhases(buf, started, targets); err != nil {
		f.Close()
		return err
	}
	if err := buf.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
