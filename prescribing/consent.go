package prescribing

import (
	"database/sql/driver"
	"errors"
	"fmt"
	"time"
)

// ErrNoConsent reports an action that needs a person's current consent
// which they have not given, or have withdrawn (rule CONS-1).
var ErrNoConsent = errors.New("no current consent")

// ConsentScope is what a person consents to.
type ConsentScope uint8

// Consent scopes.
const (
	// ConsentShareWithAsset: share their details with one named community
	// asset.
	ConsentScopeShareWithAsset ConsentScope = iota + 1
	// ConsentContactByText: be contacted by text message.
	ConsentScopeContactByText
	// ConsentShareWithGPRecord: share what happens with their GP record.
	ConsentScopeShareWithGPRecord
)

var consentScopes = NewVocabulary[ConsentScope]("consent scope",
	"share_with_asset", "contact_by_text", "share_with_gp_record")

// ConsentScopes returns every scope in order.
func ConsentScopes() []ConsentScope { return consentScopes.Values() }

// String returns the scope's text form ("share_with_asset").
func (s ConsentScope) String() string { return consentScopes.String(s) }

// IsValid reports whether s is a known scope.
func (s ConsentScope) IsValid() bool { return consentScopes.Valid(s) }

// MarshalText implements [encoding.TextMarshaler].
func (s ConsentScope) MarshalText() ([]byte, error) { return consentScopes.MarshalText(s) }

// UnmarshalText implements [encoding.TextUnmarshaler].
func (s *ConsentScope) UnmarshalText(b []byte) (err error) {
	*s, err = consentScopes.Parse(string(b))
	return
}

// Scan implements [database/sql.Scanner].
func (s *ConsentScope) Scan(src any) (err error) { *s, err = consentScopes.Scan(src); return }

// Value implements [database/sql/driver.Valuer].
func (s ConsentScope) Value() (driver.Value, error) { return consentScopes.Value(s) }

// Consents is one person's consent record (rule CONS-1): what they have
// consented to, from when, and what they have withdrawn. Consent to share
// with a community asset names the asset; the other scopes name none.
// Sharing details with an asset is itself recorded, and refused without
// current consent for that asset.
//
// Make one with [OpenConsents]; rebuild one by replaying its stream (kind
// consents, the patient's ID: not the patient's own stream) into a zero
// Consents, as for every [StreamRecord]. Consents is plain data: safe to
// copy, not to change concurrently. Copies share the list of grants but
// never write into it: every change makes a new list.
type Consents struct {
	patient   PatientID
	grants    []consentGrant
	updatedAt time.Time
	events    int32
}

type consentGrant struct {
	scope       ConsentScope
	asset       AssetID
	givenAt     time.Time
	withdrawnAt time.Time
}

// OpenConsents opens the consent record of a patient, empty, at time at. A
// zero patient ID ([ErrInvalidID]) or a time the codec cannot carry is
// refused with the zero record and event.
func OpenConsents(p PatientID, at time.Time) (Consents, ConsentsOpened, error) {
	e := ConsentsOpened{Patient: p, At: Stamp(at)}
	var c Consents
	if err := c.Apply(e); err != nil {
		return Consents{}, ConsentsOpened{}, err
	}
	return c, e, nil
}

// Patient returns whose record it is.
func (c *Consents) Patient() PatientID { return c.patient }

// Stream returns the record's stream (kind consents, the patient's ID), or
// the zero Stream before it is opened.
func (c *Consents) Stream() Stream { return recordStream(StreamKindConsents, c.patient) }

// Version returns how many events the record has applied, its opening
// included.
func (c *Consents) Version() int { return int(c.events) }

// Give records consent to scope (for [ConsentScopeShareWithAsset], with the named
// asset). A scope outside the vocabulary is refused with an error wrapping
// [ErrUnknownValue], a missing or superfluous asset with [ErrMissingDetail],
// and a time the codec cannot carry or earlier than the record's last change
// with [ErrTimeOutOfRange] or [ErrTimeWentBackwards]. Every refusal returns
// the zero event and changes nothing.
func (c *Consents) Give(scope ConsentScope, asset AssetID, at time.Time) (ConsentGiven, error) {
	e := ConsentGiven{Patient: c.patient, Scope: scope, Asset: asset, At: Stamp(at)}
	if err := c.Apply(e); err != nil {
		return ConsentGiven{}, err
	}
	return e, nil
}

// Withdraw records that consent to scope (and asset) is withdrawn. There
// must be current consent to withdraw, else the error wraps [ErrNoConsent].
// It is checked as [Consents.Give] is; a refusal returns the zero event.
func (c *Consents) Withdraw(scope ConsentScope, asset AssetID, at time.Time) (ConsentWithdrawn, error) {
	e := ConsentWithdrawn{Patient: c.patient, Scope: scope, Asset: asset, At: Stamp(at)}
	if err := c.Apply(e); err != nil {
		return ConsentWithdrawn{}, err
	}
	return e, nil
}

// Current reports whether the person's consent to scope (and asset) holds
// at time at: given at or before it and not withdrawn by then.
func (c *Consents) Current(scope ConsentScope, asset AssetID, at time.Time) bool {
	for i := len(c.grants) - 1; i >= 0; i-- {
		g := &c.grants[i]
		if g.scope != scope || g.asset != asset || g.givenAt.After(at) {
			continue
		}
		return g.withdrawnAt.IsZero() || g.withdrawnAt.After(at)
	}
	return false
}

// ShareWithAsset records that the person's details were shared with a
// community asset. Without current consent for that asset it fails with an
// error wrapping [ErrNoConsent], returns the zero event and records nothing.
func (c *Consents) ShareWithAsset(asset AssetID, at time.Time) (DetailsShared, error) {
	e := DetailsShared{Patient: c.patient, Asset: asset, At: Stamp(at)}
	if err := c.Apply(e); err != nil {
		return DetailsShared{}, err
	}
	return e, nil
}

// Apply applies a consent event, checking it as the live operation would.
func (c *Consents) Apply(e Event) error {
	switch e := e.(type) {
	case ConsentsOpened:
		switch {
		case !c.patient.IsZero():
			return fmt.Errorf("%w: the consents of patient %s are already open", ErrUnexpectedEvent, c.patient)
		case e.Patient.IsZero():
			return fmt.Errorf("%w: a consent record needs the patient", ErrInvalidID)
		}
		if err := CheckTime(time.Time{}, e.At); err != nil {
			return fmt.Errorf("patient %s: %w", e.Patient, err)
		}
		*c = Consents{patient: e.Patient, updatedAt: e.At, events: 1}
		return nil
	case ConsentGiven:
		if err := c.check(e.Patient, e.Scope, e.Asset, e.At); err != nil {
			return err
		}
		if !c.Current(e.Scope, e.Asset, e.At) {
			c.grants = append(c.grants[:len(c.grants):len(c.grants)], consentGrant{scope: e.Scope, asset: e.Asset, givenAt: e.At})
		}
	case ConsentWithdrawn:
		if err := c.check(e.Patient, e.Scope, e.Asset, e.At); err != nil {
			return err
		}
		i := c.currentGrant(e.Scope, e.Asset, e.At)
		if i < 0 {
			return fmt.Errorf("patient %s: %w to %s to withdraw", c.patient, ErrNoConsent, describeConsent(e.Scope, e.Asset))
		}
		grants := append([]consentGrant(nil), c.grants...)
		grants[i].withdrawnAt = e.At
		c.grants = grants
	case DetailsShared:
		if err := c.check(e.Patient, ConsentScopeShareWithAsset, e.Asset, e.At); err != nil {
			return err
		}
		if !c.Current(ConsentScopeShareWithAsset, e.Asset, e.At) {
			return fmt.Errorf("patient %s: %w to share details with asset %s (CONS-1)", c.patient, ErrNoConsent, e.Asset)
		}
	default:
		return NotFor(e, "consent")
	}
	c.updatedAt = e.EventTime()
	c.events++
	return nil
}

func (c *Consents) check(p PatientID, scope ConsentScope, asset AssetID, at time.Time) error {
	switch {
	case c.patient.IsZero():
		return fmt.Errorf("%w: the consents of patient %s are not open", ErrUnexpectedEvent, p)
	case p.IsZero():
		return fmt.Errorf("%w: a consent record needs the patient", ErrInvalidID)
	case p != c.patient:
		return fmt.Errorf("%w: event for patient %s applied to the consents of patient %s", ErrWrongSubject, p, c.patient)
	case !scope.IsValid():
		return fmt.Errorf("patient %s: %w", c.patient, checkMember(consentScopes, scope))
	case scope == ConsentScopeShareWithAsset && asset.IsZero():
		return fmt.Errorf("patient %s: %w: consent to share with an asset names the asset", c.patient, ErrMissingDetail)
	case scope != ConsentScopeShareWithAsset && !asset.IsZero():
		return fmt.Errorf("patient %s: %w: consent %s names no asset", c.patient, ErrMissingDetail, scope)
	}
	if err := CheckTime(c.updatedAt, at); err != nil {
		return fmt.Errorf("patient %s: %w", c.patient, err)
	}
	return nil
}

func (c *Consents) currentGrant(scope ConsentScope, asset AssetID, at time.Time) int {
	for i := len(c.grants) - 1; i >= 0; i-- {
		g := &c.grants[i]
		if g.scope == scope && g.asset == asset && !g.givenAt.After(at) && g.withdrawnAt.IsZero() {
			return i
		}
	}
	return -1
}

func describeConsent(scope ConsentScope, asset AssetID) string {
	if asset.IsZero() {
		return scope.String()
	}
	return scope.String() + " " + asset.String()
}

// ConsentsOpened records a person's consent record opened, empty: the first
// event of its stream.
type ConsentsOpened struct {
	Patient PatientID `json:"patient"`
	At      time.Time `json:"at"`
}

// EventType returns "consent.opened".
func (ConsentsOpened) EventType() string { return "consent.opened" }

// EventTime returns e.At.
func (e ConsentsOpened) EventTime() time.Time { return e.At }

// EventStream returns the consents stream of the patient.
func (e ConsentsOpened) EventStream() Stream {
	return StreamOf(StreamKindConsents, e.Patient)
}

// ConsentGiven records consent given. Giving consent that is already current
// changes nothing.
type ConsentGiven struct {
	Patient PatientID    `json:"patient"`
	Scope   ConsentScope `json:"scope"`
	Asset   AssetID      `json:"asset,omitzero"`
	At      time.Time    `json:"at"`
}

// EventType returns "consent.given".
func (ConsentGiven) EventType() string { return "consent.given" }

// EventTime returns e.At.
func (e ConsentGiven) EventTime() time.Time { return e.At }

// EventStream returns the consents stream of the patient.
func (e ConsentGiven) EventStream() Stream {
	return StreamOf(StreamKindConsents, e.Patient)
}

// ConsentWithdrawn records consent withdrawn.
type ConsentWithdrawn struct {
	Patient PatientID    `json:"patient"`
	Scope   ConsentScope `json:"scope"`
	Asset   AssetID      `json:"asset,omitzero"`
	At      time.Time    `json:"at"`
}

// EventType returns "consent.withdrawn".
func (ConsentWithdrawn) EventType() string { return "consent.withdrawn" }

// EventTime returns e.At.
func (e ConsentWithdrawn) EventTime() time.Time { return e.At }

// EventStream returns the consents stream of the patient.
func (e ConsentWithdrawn) EventStream() Stream {
	return StreamOf(StreamKindConsents, e.Patient)
}

// DetailsShared records a person's details shared with a community asset,
// with their consent.
type DetailsShared struct {
	Patient PatientID `json:"patient"`
	Asset   AssetID   `json:"asset"`
	At      time.Time `json:"at"`
}

// EventType returns "consent.details_shared".
func (DetailsShared) EventType() string { return "consent.details_shared" }

// EventTime returns e.At.
func (e DetailsShared) EventTime() time.Time { return e.At }

// EventStream returns the consents stream of the patient.
func (e DetailsShared) EventStream() Stream {
	return StreamOf(StreamKindConsents, e.Patient)
}
