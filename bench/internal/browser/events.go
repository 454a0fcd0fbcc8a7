package browser

import (
	"fmt"
	"strings"
	"sync"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
)

// events collects a tab's events into a Page. add is chromedp's listener;
// it runs on the tab's reader goroutine, stop on Check's.
type events struct {
	mu      sync.Mutex
	page    *Page
	stopped bool
}

// stop makes add drop every later event, so the Page no longer changes.
func (e *events) stop() {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.stopped = true
}

// add records one event of the tab, if it is one a Page reports.
func (e *events) add(ev any) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.stopped {
		return
	}
	p := e.page
	switch ev := ev.(type) {
	case *runtime.EventConsoleAPICalled:
		switch ev.Type {
		case runtime.ConsoleAPICalledTypeError, runtime.ConsoleAPICalledTypeWarning, runtime.ConsoleAPICalledTypeAssert:
			p.Console = append(p.Console, fmt.Sprintf("console.%s: %s", ev.Type, args(ev.Args)))
		}
	case *runtime.EventExceptionThrown:
		p.Exceptions = append(p.Exceptions, exception(ev.ExceptionDetails))
	case *log.EventEntryAdded:
		if en := ev.Entry; en != nil && (en.Level == log.EntryLevelError || en.Level == log.EntryLevelWarning) {
			msg := fmt.Sprintf("%s (%s): %s", en.Level, en.Source, en.Text)
			if en.URL != "" {
				msg += " at " + en.URL
			}
			p.Console = append(p.Console, msg)
		}
	case *network.EventRequestWillBeSent:
		if ev.Request == nil {
			return
		}
		u := ev.Request.URL
		if !strings.HasPrefix(u, "data:") && u != p.URL {
			p.Requests = append(p.Requests, u)
		}
	}
}

// args renders the arguments of a console call, strings as they are and
// other values by their description.
func args(objs []*runtime.RemoteObject) string {
	var parts []string
	for _, o := range objs {
		parts = append(parts, value(o))
	}
	return strings.Join(parts, " ")
}

// value renders one remote object.
func value(o *runtime.RemoteObject) string {
	switch {
	case o == nil:
		return "null"
	case o.Description != "":
		return o.Description
	case o.UnserializableValue != "":
		return string(o.UnserializableValue)
	case len(o.Value) > 0:
		s := string(o.Value)
		if o.Type == runtime.RemoteObjectTypeString && len(s) >= 2 {
			s = s[1 : len(s)-1] // a JSON string: show it without its quotes
		}
		return s
	}
	return string(o.Type)
}

// exception renders an uncaught exception with where it was thrown.
func exception(d *runtime.ExceptionDetails) string {
	if d == nil {
		return "uncaught exception"
	}
	msg := d.Text
	if d.Exception != nil {
		desc, _, _ := strings.Cut(value(d.Exception), "\n")
		msg += " " + desc
	}
	if d.URL != "" {
		msg += fmt.Sprintf(" at %s:%d:%d", d.URL, d.LineNumber+1, d.ColumnNumber+1)
	}
	return msg
}
