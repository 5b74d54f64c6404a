package store

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"time"
)

// TrackerInterval is how old the release a Tracker hands out may be before a
// request re-reads it (one cheap indexed read per interval, on demand).
const TrackerInterval = time.Second

// trackerReadTimeout bounds one re-read of the current release.
const trackerReadTimeout = 2 * time.Second

// TrackerLag bounds how long after a load switches releases a Tracker may
// still pin the previous one: one interval plus one re-read. A loader keeps a
// superseded release at least QUERY_TIMEOUT + TrackerLag (see Grace).
const TrackerLag = TrackerInterval + trackerReadTimeout

// Tracker knows the current complete release, so that each request can pin
// it (WithRelease) and answer wholly from it. It re-reads the release on
// demand, at most once per interval: one request re-reads while the others
// go on with the release it knew.
type Tracker struct {
	store    *Store
	interval time.Duration
	mu       sync.Mutex // held by the request that re-reads
	state    atomic.Pointer[trackerState]
}

type trackerState struct {
	release Release
	err     error     // ErrNotFound: the database holds no complete release
	at      time.Time // when the read began
}

// NewTracker returns a tracker over s that re-reads the current release when
// what it knows is older than interval (TrackerInterval in the server).
func NewTracker(s *Store, interval time.Duration) *Tracker {
	return &Tracker{store: s, interval: interval}
}

// Current returns the current complete release as of at most the interval
// plus one re-read (TrackerLag) ago; ErrNotFound when the database holds
// none. It never hands out a release it knew longer ago than that: when a
// re-read fails (the database does not answer) and what it knew is older, it
// returns the error, since a loader may have deleted that release since.
func (t *Tracker) Current(ctx context.Context) (Release, error) {
	st := t.state.Load()
	if st != nil && time.Since(st.at) < t.interval {
		return st.release, st.err
	}
	lag := t.interval + trackerReadTimeout
	usable := func(st *trackerState) bool { return st != nil && st.err == nil && time.Since(st.at) < lag }
	if usable(st) {
		if !t.mu.TryLock() { // another request is re-reading
			return st.release, nil
		}
	} else {
		t.mu.Lock() // nothing usable: wait for the re-read
		if st = t.state.Load(); st != nil && time.Since(st.at) < t.interval {
			t.mu.Unlock()
			return st.release, st.err
		}
	}
	defer t.mu.Unlock()
	ctx, cancel := context.WithTimeout(ctx, trackerReadTimeout)
	defer cancel()
	start := time.Now() // the release read was current at start or later
	rel, err := t.store.CurrentRelease(ctx)
	if err != nil && !errors.Is(err, ErrNotFound) {
		if usable(st) {
			return st.release, nil
		}
		return Release{}, err
	}
	t.state.Store(&trackerState{release: rel, err: err, at: start})
	return rel, err
}
