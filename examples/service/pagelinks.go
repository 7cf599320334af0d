package main

import (
	"crypto/sha256"
	"errors"
	"net/http"
	"sync"
	"time"
)

// A browser cannot send an Authorization header from a bookmark or a
// command line, so the HTML pages also accept a page link: a URL with
// ?access=<token>, issued by POST /page-links to a caller who holds a
// bearer token and may read the page. A link
//
//   - opens the one page it was issued for (its path exactly),
//   - as the member of staff it was issued to, with their rights, checked
//     again when it is opened,
//   - once: opening it spends it, whatever the answer,
//   - within PageLinkTTL of being issued.
//
// Links live in the server's memory only (a restart forgets them), at
// most MaxPageLinks at a time, and only the pages' routes read them: a
// link never authenticates the JSON API. Tokens are 32 random bytes, kept
// as SHA-256 digests; query strings are never logged.

// PageLinkTTL is how long a page link may wait to be opened.
const PageLinkTTL = time.Minute

// MaxPageLinks bounds the page links waiting to be opened; beyond it,
// POST /page-links gets 503 until some are opened or expire.
const MaxPageLinks = 1024

// pageLink is one issued link.
type pageLink struct {
	who     *caller
	path    string
	expires time.Time
}

// pageLinks are the links issued and not yet opened. Safe for concurrent
// use.
type pageLinks struct {
	mu    sync.Mutex
	links map[[32]byte]pageLink
}

func newPageLinks() *pageLinks { return &pageLinks{links: map[[32]byte]pageLink{}} }

// issue makes a link to path for who at now, valid until the time it
// returns.
func (l *pageLinks) issue(who *caller, path string, now time.Time) (token string, expires time.Time, err error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for k, v := range l.links {
		if !now.Before(v.expires) {
			delete(l.links, k)
		}
	}
	if len(l.links) >= MaxPageLinks {
		return "", time.Time{}, fail(http.StatusServiceUnavailable, "too many page links waiting to be opened: try again in a minute")
	}
	token = randomToken()
	expires = now.Add(PageLinkTTL)
	l.links[sha256.Sum256([]byte(token))] = pageLink{who: who, path: path, expires: expires}
	return token, expires, nil
}

var errNoPageLink = errors.New("missing, spent or expired page link")

// redeem spends the link a page request carries in ?access= and returns
// who it was issued to: errNoPageLink if there is none, it was spent, it
// expired (it is valid up to, not at, its expiry) or it names another
// page.
func (l *pageLinks) redeem(r *http.Request, now time.Time) (*caller, error) {
	tok := r.URL.Query().Get("access")
	if tok == "" {
		return nil, errNoPageLink
	}
	k := sha256.Sum256([]byte(tok))
	l.mu.Lock()
	link, ok := l.links[k]
	delete(l.links, k)
	l.mu.Unlock()
	if !ok || !now.Before(link.expires) || r.URL.Path != link.path {
		return nil, errNoPageLink
	}
	return link.who, nil
}
