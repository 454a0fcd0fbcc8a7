package lambda

import "time"

// EventKind says what happened to an environment.
type EventKind int

// The kinds of Event. The zero EventKind is none.
const (
	// EventStarted: the environment's RIE accepts invokes (for a
	// provisioned one, its INIT has run too).
	EventStarted EventKind = iota + 1
	// EventReaped: stopped after its keepalive idle.
	EventReaped
	// EventRecycled: stopped because it outlived Config.MaxLifetime.
	EventRecycled
	// EventDiscarded: stopped after a failed invoke (crash, timeout, init
	// failure).
	EventDiscarded
	// EventCrashed: exited on its own, or was killed from outside.
	EventCrashed
	// EventStopped: stopped by Router.Close.
	EventStopped
)

var eventKindNames = [...]string{"", "started", "reaped", "recycled", "discarded", "crashed", "stopped"}

// String names the kind as in the timeline: started, reaped, recycled,
// discarded, crashed or stopped.
func (k EventKind) String() string {
	if k > 0 && int(k) < len(eventKindNames) {
		return eventKindNames[k]
	}
	return "none"
}

// Event is a change in the fleet, passed to Config.OnEvent. Events other
// than EventStarted are reported once the environment has exited.
type Event struct {
	Time        time.Time
	Env         string    // the environment's id
	Kind        EventKind //
	Provisioned bool      // a provisioned environment
	Live        int       // environments live after the event
	// Keepalive is, on EventStarted of an on-demand environment, the
	// keepalive it drew (see Config.KeepaliveMax); zero otherwise.
	Keepalive time.Duration
	// Pool is, on EventStarted of an on-demand environment of a router
	// with a sandbox pool, whether it was made of a pooled sandbox.
	Pool Pool
}

// emitLocked reports ev to Config.OnEvent. It is called with r.mu held and
// unlocks it: it takes r.evMu before unlocking, so that events are
// reported in the order they happened, and calls OnEvent outside r.mu.
func (r *Router) emitLocked(ev Event) {
	if r.cfg.OnEvent == nil {
		r.mu.Unlock()
		return
	}
	r.evMu.Lock()
	r.mu.Unlock()
	defer r.evMu.Unlock()
	r.cfg.OnEvent(ev)
}
