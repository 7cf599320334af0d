package main

import (
	"bytes"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"slices"
	"strings"

	"github.com/socialprescribing/linkwork/prescribing"
	"github.com/socialprescribing/linkwork/prescribing/store"
)

// Role is what a member of staff may do through the API.
type Role string

// The three roles.
const (
	// RoleLinkWorker sees and changes only their own caseload: the
	// referrals assigned to them, their patients and the records kept of
	// them, and the referrals not yet accepted by anyone; and records the
	// passage of their own journey into the role.
	RoleLinkWorker Role = "link_worker"
	// RoleSupervisor reads their team's caseloads (the link workers who
	// name them as supervisor), with personal details redacted,
	// escalates concerns, records their team's journeys' passage and the
	// supervision sessions they hold.
	RoleSupervisor Role = "supervisor"
	// RoleAdministrator manages community assets and staff records,
	// starts link workers' journeys and records their leaving, agrees,
	// changes and ends their supervision, and reads the audit trail; they
	// see no patient records.
	RoleAdministrator Role = "administrator"
)

// Staff is one entry of the tokens file: a bearer token and who holds it.
type Staff struct {
	// Token is the bearer token, at least 32 characters.
	Token string `json:"token"`
	// ID names the member of staff in the audit trail and the logs.
	ID string `json:"staff"`
	// Role is link_worker, supervisor or administrator.
	Role Role `json:"role"`
	// LinkWorker is a link worker's ID in the domain records (link
	// workers only).
	LinkWorker prescribing.LinkWorkerID `json:"link_worker,omitzero"`
	// Supervisor is the staff ID of a link worker's supervisor.
	Supervisor string `json:"supervisor,omitempty"`
}

// caller is the member of staff a request was authenticated as.
type caller struct {
	staff Staff
	id    store.StaffID
}

// Tokens holds the staff the server accepts, by token.
type Tokens struct {
	byHash map[[32]byte]*caller
	staff  []Staff
}

// LoadTokens reads a tokens file: a JSON array of Staff.
func LoadTokens(path string) (*Tokens, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var staff []Staff
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&staff); err != nil {
		return nil, fmt.Errorf("tokens file %s: %w", path, err)
	}
	return NewTokens(staff)
}

// NewTokens checks a list of staff and indexes it by token.
func NewTokens(staff []Staff) (*Tokens, error) {
	t := &Tokens{byHash: map[[32]byte]*caller{}, staff: slices.Clone(staff)}
	for i, s := range staff {
		id, err := store.ParseStaffID(s.ID)
		if err != nil || id.IsZero() {
			return nil, fmt.Errorf("staff %d: bad or missing staff ID", i)
		}
		if len(s.Token) < 32 {
			return nil, fmt.Errorf("staff %s: token shorter than 32 characters", s.ID)
		}
		switch s.Role {
		case RoleLinkWorker:
			if s.LinkWorker.IsZero() {
				return nil, fmt.Errorf("staff %s: a link worker needs link_worker", s.ID)
			}
		case RoleSupervisor, RoleAdministrator:
			if !s.LinkWorker.IsZero() {
				return nil, fmt.Errorf("staff %s: only link workers have link_worker", s.ID)
			}
		default:
			return nil, fmt.Errorf("staff %s: unknown role %q", s.ID, s.Role)
		}
		h := sha256.Sum256([]byte(s.Token))
		if _, dup := t.byHash[h]; dup {
			return nil, fmt.Errorf("staff %s: token used twice", s.ID)
		}
		t.byHash[h] = &caller{staff: s, id: id}
	}
	return t, nil
}

var errNoToken = errors.New("missing or malformed bearer token")

// authenticate finds the caller of a request. Tokens are compared through
// their SHA-256 digests, so the lookup takes the same time whichever token
// is tried.
func (t *Tokens) authenticate(r *http.Request) (*caller, error) {
	h := r.Header.Get("Authorization")
	tok, ok := strings.CutPrefix(h, "Bearer ")
	if !ok || tok == "" {
		return nil, errNoToken
	}
	d := sha256.Sum256([]byte(tok))
	c, ok := t.byHash[d]
	if !ok || subtle.ConstantTimeCompare([]byte(c.staff.Token), []byte(tok)) != 1 {
		return nil, errNoToken
	}
	return c, nil
}

// byLinkWorker finds a link worker's staff entry.
func (t *Tokens) byLinkWorker(lw prescribing.LinkWorkerID) (Staff, bool) {
	for _, s := range t.staff {
		if s.Role == RoleLinkWorker && s.LinkWorker == lw {
			return s, true
		}
	}
	return Staff{}, false
}

// linkWorkerOf is the link worker a staff ID acts as, if any.
func (t *Tokens) linkWorkerOf(id store.StaffID) (prescribing.LinkWorkerID, bool) {
	for _, s := range t.staff {
		if s.Role == RoleLinkWorker && s.ID == id.String() {
			return s.LinkWorker, true
		}
	}
	return prescribing.LinkWorkerID{}, false
}

// team is a supervisor's link workers.
func (t *Tokens) team(supervisor string) []prescribing.LinkWorkerID {
	var out []prescribing.LinkWorkerID
	for _, s := range t.staff {
		if s.Role == RoleLinkWorker && s.Supervisor == supervisor {
			out = append(out, s.LinkWorker)
		}
	}
	return out
}

// readsLinkWorker says whether c may read lw's caseload: lw themself or
// lw's supervisor.
func (t *Tokens) readsLinkWorker(c *caller, lw prescribing.LinkWorkerID) bool {
	switch c.staff.Role {
	case RoleLinkWorker:
		return c.staff.LinkWorker == lw
	case RoleSupervisor:
		s, ok := t.byLinkWorker(lw)
		return ok && s.Supervisor == c.staff.ID
	}
	return false
}
