package prescribing

import (
	"database/sql/driver"
	"errors"
	"fmt"
	"slices"
	"time"
)

// Errors of community assets.
var (
	// ErrAtCapacity reports taking a place at an asset whose places are all
	// in use (rule ASSET-3). The error is a [*CapacityError].
	ErrAtCapacity = errors.New("community asset at capacity")
	// ErrNoPlaceInUse reports releasing a place at an asset with none in use.
	ErrNoPlaceInUse = errors.New("no place in use to release")
	// ErrNotActive reports taking a place at an asset that is not active.
	ErrNotActive = errors.New("community asset is not active")
)

// CapacityError is the typed error of a full asset (rule ASSET-3); it
// matches [ErrAtCapacity] with errors.Is.
type CapacityError struct {
	Asset  AssetID `json:"asset"`
	Places int     `json:"places"`
}

// Error names the asset and its places.
func (e *CapacityError) Error() string {
	return fmt.Sprintf("asset %s: all %d places in use (ASSET-3)", e.Asset, e.Places)
}

// Is reports whether target is [ErrAtCapacity].
func (e *CapacityError) Is(target error) bool { return target == ErrAtCapacity }

// AssetStatus is whether an asset is running, as in the Open Referral
// standard.
type AssetStatus uint8

// Asset statuses. Only active assets are offered in matching (ASSET-1).
const (
	AssetStatusActive            AssetStatus = iota + 1 // running and taking people
	AssetStatusInactive                                 // not running for now
	AssetStatusTemporarilyClosed                        // closed for a while, expected back
	AssetStatusDefunct                                  // gone for good
)

var assetStatuses = NewVocabulary[AssetStatus]("asset status", "active", "inactive", "temporarily_closed", "defunct")

// AssetStatuses returns every status in order.
func AssetStatuses() []AssetStatus { return assetStatuses.Values() }

// String returns the status's text form ("temporarily_closed").
func (s AssetStatus) String() string { return assetStatuses.String(s) }

// IsValid reports whether s is a known status.
func (s AssetStatus) IsValid() bool { return assetStatuses.Valid(s) }

// MarshalText implements [encoding.TextMarshaler].
func (s AssetStatus) MarshalText() ([]byte, error) { return assetStatuses.MarshalText(s) }

// UnmarshalText implements [encoding.TextUnmarshaler].
func (s *AssetStatus) UnmarshalText(b []byte) (err error) {
	*s, err = assetStatuses.Parse(string(b))
	return
}

// Scan implements [database/sql.Scanner].
func (s *AssetStatus) Scan(src any) (err error) { *s, err = assetStatuses.Scan(src); return }

// Value implements [database/sql/driver.Valuer].
func (s AssetStatus) Value() (driver.Value, error) { return assetStatuses.Value(s) }

// AssetDetails describe a community asset: what it is for and what it takes
// to use it. They are what matching reads.
type AssetDetails struct {
	// Name is how people know it ("Riverside walking group").
	Name string `json:"name"`
	// Needs are the needs it serves; at least one.
	Needs []Need `json:"needs"`
	// OpenAccess assets take anyone who comes; others have Places.
	OpenAccess bool `json:"open_access,omitempty"`
	// Places is how many people it can take at once, unless open access.
	Places int `json:"places,omitempty"`
	// FeePence is what a person pays per session, 0 if free.
	FeePence int `json:"fee_pence,omitempty"`
	// Concessions: reduced or no fees for people on low incomes.
	Concessions bool `json:"concessions,omitempty"`
	// Languages it is offered in, as language tags ("en", "pl", "ur");
	// compared without regard to case.
	Languages []string `json:"languages,omitempty"`
	// CulturallySpecific assets are run by or for particular communities,
	// named in Communities (empty: culturally specific without naming one).
	CulturallySpecific bool     `json:"culturally_specific,omitempty"`
	Communities        []string `json:"communities,omitempty"`
	// Access says how people can reach and take part.
	Access Accessibility `json:"access,omitzero"`
}

// Accessibility says how people can reach and take part in an asset.
type Accessibility struct {
	// StepFree: the venue can be reached without steps.
	StepFree bool `json:"step_free,omitempty"`
	// TransportProvided: the asset offers transport or covers its cost.
	TransportProvided bool `json:"transport_provided,omitempty"`
	// Online: people can take part online.
	Online bool `json:"online,omitempty"`
	// OnlineOnly: people can take part only online.
	OnlineOnly bool `json:"online_only,omitempty"`
	// CompanionWelcome: a first visit with the link worker or a buddy is
	// welcome, for people who lack the confidence to go alone.
	CompanionWelcome bool `json:"companion_welcome,omitempty"`
}

// Validate reports details without a name or a need, with a need outside
// the vocabulary (wrapping [ErrUnknownValue]), with text failing [CheckText]
// (wrapping [ErrInvalidText]), or with negative numbers, blank language tags
// or communities, or both open access and places. Every error wraps
// [ErrInvalidRecord].
func (d AssetDetails) Validate() error {
	if err := CheckText("the asset's name", d.Name); err != nil {
		return fmt.Errorf("%w: %w", ErrInvalidRecord, err)
	}
	if IsBlank(d.Name) {
		return fmt.Errorf("%w: an asset needs a name", ErrInvalidRecord)
	}
	name := quoteShort(d.Name)
	switch {
	case len(d.Needs) == 0:
		return fmt.Errorf("%w: asset %s serves no need", ErrInvalidRecord, name)
	case d.Places < 0 || d.FeePence < 0:
		return fmt.Errorf("%w: asset %s has negative places or fee", ErrInvalidRecord, name)
	case d.OpenAccess && d.Places > 0:
		return fmt.Errorf("%w: asset %s is open access and also counts places", ErrInvalidRecord, name)
	case d.Access.OnlineOnly && !d.Access.Online:
		return fmt.Errorf("%w: asset %s is online only but not online", ErrInvalidRecord, name)
	}
	for _, n := range d.Needs {
		if err := checkMember(needs, n); err != nil {
			return fmt.Errorf("%w: asset %s: %w", ErrInvalidRecord, name, err)
		}
	}
	for _, l := range slices.Concat(d.Languages, d.Communities) {
		if err := CheckText("a language or community of the asset", l); err != nil {
			return fmt.Errorf("%w: asset %s: %w", ErrInvalidRecord, name, err)
		}
		if IsBlank(l) {
			return fmt.Errorf("%w: asset %s lists an empty language or community", ErrInvalidRecord, name)
		}
	}
	return nil
}

// Asset is a community asset: a group, activity or service a person can be
// connected to (lunch club, walking group, debt advice, housing support),
// with its status and the places in use. Places are taken and released
// through methods that keep the count in range (rule ASSET-3); every change
// is an event.
//
// Make one with [ListAsset]; rebuild one by replaying its stream into a zero
// Asset, as for every [StreamRecord]. An Asset is plain data: safe to copy, not to
// change concurrently. Copies share the lists of the details but never write
// into them: an update replaces them wholesale, the details an operation is
// given or returns are copies, and so are the events' lists.
type Asset struct {
	id        AssetID
	details   AssetDetails
	status    AssetStatus
	inUse     int
	updatedAt time.Time
	needs     NeedSet // details.Needs as a set, for matching
	events    int32
}

// ListAsset records a new community asset with its details and status.
// Details failing [AssetDetails.Validate], a status outside the vocabulary
// ([ErrUnknownValue]) and a time the codec cannot carry are refused with the
// zero Asset and event. The event holds its own copy of the details' lists.
func ListAsset(id AssetID, details AssetDetails, status AssetStatus, at time.Time) (Asset, AssetListed, error) {
	e := AssetListed{Asset: id, Details: cloneDetails(details), Status: status, At: Stamp(at)}
	var a Asset
	if err := a.Apply(e); err != nil {
		return Asset{}, AssetListed{}, err
	}
	return a, e, nil
}

// ID returns the asset's ID.
func (a *Asset) ID() AssetID { return a.id }

// Stream returns the asset's stream (kind asset, its ID), or the zero
// Stream before it is listed.
func (a *Asset) Stream() Stream { return recordStream(StreamKindAsset, a.id) }

// Version returns how many events the asset has applied, its listing
// included.
func (a *Asset) Version() int { return int(a.events) }

// Details returns a copy of the asset's details.
func (a *Asset) Details() AssetDetails { return cloneDetails(a.details) }

// Name returns the asset's name.
func (a *Asset) Name() string { return a.details.Name }

// Status returns the asset's status.
func (a *Asset) Status() AssetStatus { return a.status }

// Serves reports whether the asset serves need n.
func (a *Asset) Serves(n Need) bool { return a.needs.Has(n) }

// InUse returns how many places are in use.
func (a *Asset) InUse() int { return a.inUse }

// FreePlaces returns how many places are free, and false for an open access
// asset, which has no count.
func (a *Asset) FreePlaces() (int, bool) {
	if a.details.OpenAccess {
		return 0, false
	}
	return a.details.Places - a.inUse, true
}

// HasRoom reports whether the asset is active and can take one more person:
// open access, or a free place.
func (a *Asset) HasRoom() bool {
	return a.status == AssetStatusActive && (a.details.OpenAccess || a.inUse < a.details.Places)
}

// Update replaces the asset's details, checked as [ListAsset] checks them.
// Places cannot drop below those in use. A refusal returns the zero event.
func (a *Asset) Update(details AssetDetails, at time.Time) (AssetUpdated, error) {
	e := AssetUpdated{Asset: a.id, Details: cloneDetails(details), At: Stamp(at)}
	if err := a.Apply(e); err != nil {
		return AssetUpdated{}, err
	}
	return e, nil
}

// SetStatus changes the asset's status. A status outside the vocabulary is
// refused with an error wrapping [ErrUnknownValue]; a defunct asset stays
// defunct ([ErrUnexpectedEvent]). A refusal returns the zero event.
func (a *Asset) SetStatus(to AssetStatus, at time.Time) (AssetStatusChanged, error) {
	e := AssetStatusChanged{Asset: a.id, From: a.status, To: to, At: Stamp(at)}
	if err := a.Apply(e); err != nil {
		return AssetStatusChanged{}, err
	}
	return e, nil
}

// TakePlace takes a place for the person on referral r (zero if not known).
// An active asset with all places in use refuses with a [*CapacityError]; an
// asset that is not active refuses with [ErrNotActive] (rule ASSET-3). Open
// access assets count people too but never refuse. A refusal returns the
// zero event.
func (a *Asset) TakePlace(r ReferralID, at time.Time) (PlaceTaken, error) {
	e := PlaceTaken{Asset: a.id, Referral: r, At: Stamp(at)}
	if err := a.applyPlaceTaken(e); err != nil {
		return PlaceTaken{}, err
	}
	return e, nil
}

// ReleasePlace frees a place; with none in use it fails with
// [ErrNoPlaceInUse] (rule ASSET-3) and returns the zero event.
func (a *Asset) ReleasePlace(r ReferralID, at time.Time) (PlaceReleased, error) {
	e := PlaceReleased{Asset: a.id, Referral: r, At: Stamp(at)}
	if err := a.applyPlaceReleased(e); err != nil {
		return PlaceReleased{}, err
	}
	return e, nil
}

// Apply applies an asset event, checking it as the live operation would.
func (a *Asset) Apply(e Event) error {
	switch e := e.(type) {
	case AssetListed:
		switch {
		case !a.id.IsZero():
			return fmt.Errorf("%w: asset %s is already listed", ErrUnexpectedEvent, a.id)
		case e.Asset.IsZero():
			return fmt.Errorf("%w: listing an asset needs an ID", ErrInvalidID)
		case !e.Status.IsValid():
			return fmt.Errorf("asset %s: %w", e.Asset, checkMember(assetStatuses, e.Status))
		}
		if err := CheckTime(time.Time{}, e.At); err != nil {
			return fmt.Errorf("asset %s: %w", e.Asset, err)
		}
		if err := e.Details.Validate(); err != nil {
			return err
		}
		*a = Asset{id: e.Asset, details: cloneDetails(e.Details), status: e.Status, updatedAt: e.At, needs: SetOf(e.Details.Needs...), events: 1}
		return nil
	case AssetUpdated:
		if err := a.checkChange(e.Asset, e.At); err != nil {
			return err
		}
		if err := e.Details.Validate(); err != nil {
			return err
		}
		if !e.Details.OpenAccess && e.Details.Places < a.inUse {
			return fmt.Errorf("asset %s: %w: %d places would be fewer than the %d in use", a.id, ErrInvalidRecord, e.Details.Places, a.inUse)
		}
		a.details, a.needs, a.updatedAt = cloneDetails(e.Details), SetOf(e.Details.Needs...), e.At
		a.events++
		return nil
	case AssetStatusChanged:
		if err := a.checkChange(e.Asset, e.At); err != nil {
			return err
		}
		switch {
		case e.From != a.status:
			return fmt.Errorf("%w: asset %s is %s, the event says %s", ErrUnexpectedEvent, a.id, a.status, e.From)
		case !e.To.IsValid():
			return fmt.Errorf("asset %s: %w", a.id, checkMember(assetStatuses, e.To))
		case a.status == AssetStatusDefunct:
			return fmt.Errorf("%w: asset %s is defunct for good", ErrUnexpectedEvent, a.id)
		}
		a.status, a.updatedAt = e.To, e.At
		a.events++
		return nil
	case PlaceTaken:
		return a.applyPlaceTaken(e)
	case PlaceReleased:
		return a.applyPlaceReleased(e)
	default:
		return NotFor(e, "asset")
	}
}

func (a *Asset) applyPlaceTaken(e PlaceTaken) error {
	if err := a.checkChange(e.Asset, e.At); err != nil {
		return err
	}
	if a.status != AssetStatusActive {
		return fmt.Errorf("asset %s is %s: %w", a.id, a.status, ErrNotActive)
	}
	if !a.details.OpenAccess && a.inUse >= a.details.Places {
		return &CapacityError{Asset: a.id, Places: a.details.Places}
	}
	a.inUse++
	a.updatedAt = e.At
	a.events++
	return nil
}

func (a *Asset) applyPlaceReleased(e PlaceReleased) error {
	if err := a.checkChange(e.Asset, e.At); err != nil {
		return err
	}
	if a.inUse == 0 {
		return fmt.Errorf("asset %s: %w (ASSET-3)", a.id, ErrNoPlaceInUse)
	}
	a.inUse--
	a.updatedAt = e.At
	a.events++
	return nil
}

func (a *Asset) checkChange(id AssetID, at time.Time) error {
	if a.id.IsZero() {
		return fmt.Errorf("%w: asset %s is not listed", ErrUnexpectedEvent, id)
	}
	if id != a.id {
		return fmt.Errorf("%w: event for asset %s applied to asset %s", ErrWrongSubject, id, a.id)
	}
	if err := CheckTime(a.updatedAt, at); err != nil {
		return fmt.Errorf("asset %s: %w", a.id, err)
	}
	return nil
}

// cloneDetails returns d with lists of its own. An empty list becomes nil,
// as JSON reads it back, so that replay rebuilds an equal record.
func cloneDetails(d AssetDetails) AssetDetails {
	d.Needs = cloneList(d.Needs)
	d.Languages = cloneList(d.Languages)
	d.Communities = cloneList(d.Communities)
	return d
}

// String returns "asset <id> (<name>, <status>)".
func (a Asset) String() string {
	return "asset " + a.id.String() + " (" + a.details.Name + ", " + a.status.String() + ")"
}

// AssetListed records a new community asset.
type AssetListed struct {
	Asset   AssetID      `json:"asset"`
	Details AssetDetails `json:"details"`
	Status  AssetStatus  `json:"status"`
	At      time.Time    `json:"at"`
}

// EventType returns "asset.listed".
func (AssetListed) EventType() string { return "asset.listed" }

// EventTime returns e.At.
func (e AssetListed) EventTime() time.Time { return e.At }

// EventStream returns the asset stream of the asset.
func (e AssetListed) EventStream() Stream {
	return StreamOf(StreamKindAsset, e.Asset)
}

// AssetUpdated records new details for an asset.
type AssetUpdated struct {
	Asset   AssetID      `json:"asset"`
	Details AssetDetails `json:"details"`
	At      time.Time    `json:"at"`
}

// EventType returns "asset.updated".
func (AssetUpdated) EventType() string { return "asset.updated" }

// EventTime returns e.At.
func (e AssetUpdated) EventTime() time.Time { return e.At }

// EventStream returns the asset stream of the asset.
func (e AssetUpdated) EventStream() Stream {
	return StreamOf(StreamKindAsset, e.Asset)
}

// AssetStatusChanged records an asset opening, closing or ending.
type AssetStatusChanged struct {
	Asset AssetID     `json:"asset"`
	From  AssetStatus `json:"from"`
	To    AssetStatus `json:"to"`
	At    time.Time   `json:"at"`
}

// EventType returns "asset.status_changed".
func (AssetStatusChanged) EventType() string { return "asset.status_changed" }

// EventTime returns e.At.
func (e AssetStatusChanged) EventTime() time.Time { return e.At }

// EventStream returns the asset stream of the asset.
func (e AssetStatusChanged) EventStream() Stream {
	return StreamOf(StreamKindAsset, e.Asset)
}

// PlaceTaken records a place taken at an asset.
type PlaceTaken struct {
	Asset    AssetID    `json:"asset"`
	Referral ReferralID `json:"referral,omitzero"`
	At       time.Time  `json:"at"`
}

// EventType returns "asset.place_taken".
func (PlaceTaken) EventType() string { return "asset.place_taken" }

// EventTime returns e.At.
func (e PlaceTaken) EventTime() time.Time { return e.At }

// EventStream returns the asset stream of the asset.
func (e PlaceTaken) EventStream() Stream {
	return StreamOf(StreamKindAsset, e.Asset)
}

// PlaceReleased records a place freed at an asset.
type PlaceReleased struct {
	Asset    AssetID    `json:"asset"`
	Referral ReferralID `json:"referral,omitzero"`
	At       time.Time  `json:"at"`
}

// EventType returns "asset.place_released".
func (PlaceReleased) EventType() string { return "asset.place_released" }

// EventTime returns e.At.
func (e PlaceReleased) EventTime() time.Time { return e.At }

// EventStream returns the asset stream of the asset.
func (e PlaceReleased) EventStream() Stream {
	return StreamOf(StreamKindAsset, e.Asset)
}
