package prescribing

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// Hostile inputs that live operations and Apply must refuse, as the codec
// could not store them or replay would rebuild something else.
var (
	// yearZero, like yearAfter, is outside the years RFC 3339 carries.
	yearZero = time.Date(0, 12, 31, 12, 0, 0, 0, time.UTC)
	// Text that CheckText refuses (invalidUTF8 and withNUL are the
	// referral tests').
	tooLong = strings.Repeat("x", MaxTextBytes+1)
	// longest is text of exactly the bound: accepted.
	longest = strings.Repeat("y", MaxTextBytes)
)

// peopleWorld is one of each record of the people side, set up so that
// every operation can be tried on it: a registered patient, consents with
// consent given to share with one asset, a full asset of one place, an
// empty asset, and a concern raised on a contact.
type peopleWorld struct {
	f        *fixture
	patient  Patient
	consents Consents
	asset    Asset // one place, taken: full
	empty    Asset // three places, none taken
	concern  Concern
	contact  ContactRecorded
	shared   AssetID // the asset consent is given for
}

func newPeopleWorld(t testing.TB) *peopleWorld {
	f := newFixture(t)
	w := &peopleWorld{f: f}
	var err error
	w.patient, _, err = RegisterPatient(f.pat, f.prac, examplePatientDetails(t), f.tick())
	require.NoError(t, err)
	w.consents, _ = f.openConsents()
	w.shared = NewID[Asset](f.ids)
	_, err = w.consents.Give(ConsentScopeShareWithAsset, w.shared, f.tick())
	require.NoError(t, err)
	w.asset, _ = f.asset(t, lunchClub(1), AssetStatusActive)
	_, err = w.asset.TakePlace(NewID[Referral](f.ids), f.tick())
	require.NoError(t, err)
	w.empty, _ = f.asset(t, lunchClub(3), AssetStatusActive)
	w.contact = ContactRecorded{Referral: NewID[Referral](f.ids), Patient: f.pat, LinkWorker: f.lw,
		Contact: Contact{ID: NewID[Contact](f.ids), At: f.tick(), Mode: ContactModeTelephone, Minutes: 20, Attended: true}}
	w.concern, _, err = RaiseConcern(NewID[Concern](f.ids), w.contact, f.tick())
	require.NoError(t, err)
	return w
}

// snapshot returns a deep copy of the world's records, to compare with
// after an operation that must change nothing.
func (w *peopleWorld) snapshot() peopleWorld {
	c := *w
	c.asset.details = cloneDetails(w.asset.details)
	c.empty.details = cloneDetails(w.empty.details)
	c.consents.grants = append([]consentGrant(nil), w.consents.grants...)
	return c
}
