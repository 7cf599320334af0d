package main

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestPageLinks_OpenOnceEvenWhenRaced: of many requests opening the same
// link at once, exactly one gets through.
func TestPageLinks_OpenOnceEvenWhenRaced(t *testing.T) {
	l := newPageLinks()
	now := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	who := &caller{staff: Staff{ID: "lw-1", Role: RoleLinkWorker}}
	tok, _, err := l.issue(who, "/caseload/x", now)
	require.NoError(t, err)
	var opened atomic.Int32
	var wg sync.WaitGroup
	for range 16 {
		wg.Go(func() {
			c, err := l.redeem(httptest.NewRequest("GET", "/caseload/x?access="+tok, nil), now)
			if err == nil {
				assert.Same(t, who, c)
				opened.Add(1)
			} else {
				assert.ErrorIs(t, err, errNoPageLink)
			}
		})
	}
	wg.Wait()
	assert.Equal(t, int32(1), opened.Load())
}

// TestPageLinks_Bounded: at most MaxPageLinks wait to be opened; beyond
// that issuing gets 503, until they expire.
func TestPageLinks_Bounded(t *testing.T) {
	l := newPageLinks()
	now := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	who := &caller{staff: Staff{ID: "lw-1", Role: RoleLinkWorker}}
	for range MaxPageLinks {
		_, _, err := l.issue(who, "/caseload/x", now)
		require.NoError(t, err)
	}
	_, _, err := l.issue(who, "/caseload/x", now.Add(PageLinkTTL-time.Nanosecond))
	var ae *apiError
	require.True(t, errors.As(err, &ae), "%v", err)
	assert.Equal(t, http.StatusServiceUnavailable, ae.status)
	_, _, err = l.issue(who, "/caseload/x", now.Add(PageLinkTTL))
	require.NoError(t, err, "expired links make room")
	assert.Len(t, l.links, 1)
}
