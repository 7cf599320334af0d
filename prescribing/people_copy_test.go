package prescribing

import (
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// apart runs a and b at once, as two goroutines changing their own copies
// would; run under -race, any memory the copies share and write is caught.
func apart(a, b func()) {
	var wg sync.WaitGroup
	wg.Go(a)
	wg.Go(b)
	wg.Wait()
}

// The people side's records are values whose plain copies share no memory
// they write: each test copies a record, changes both copies at once, and
// checks each copy changed alone and the original not at all.

func TestCopiesOfAPatientChangeApart(t *testing.T) {
	w := newPeopleWorld(t)
	orig := w.patient
	a, b := orig, orig
	other := examplePatientDetails(t)
	other.GivenName = "Someone"
	atA, atB := w.f.tick(), w.f.tick()
	var errA, errB error
	apart(func() { _, errA = a.UpdateDetails(other, atA) }, func() { _, errB = b.RecordRiskAssessment(atB, w.f.lw) })
	require.NoError(t, errA)
	require.NoError(t, errB)
	assert.Equal(t, "Someone", a.Details().GivenName)
	assert.True(t, a.RiskAssessedAt().IsZero())
	assert.Equal(t, "Adaeze", b.Details().GivenName)
	assert.Equal(t, atB, b.RiskAssessedAt())
	assert.Equal(t, newPeopleWorld(t).patient, orig)
}

func TestCONS_1_CopiesOfConsentsChangeApart(t *testing.T) {
	w := newPeopleWorld(t)
	for _, s := range []ConsentScope{ConsentScopeContactByText, ConsentScopeShareWithGPRecord} {
		_, err := w.consents.Give(s, AssetID{}, w.f.tick())
		require.NoError(t, err)
	}
	// Room to grow in place, so a copy that appended into it would write
	// where the other copy reads.
	w.consents.grants = append(make([]consentGrant, 0, 16), w.consents.grants...)
	orig := w.snapshot().consents
	a, b := w.consents, w.consents
	atA, atB := w.f.tick(), w.f.tick()
	extra := NewID[Asset](w.f.ids)
	var errA, errB error
	apart(func() {
		_, errA = a.Withdraw(ConsentScopeContactByText, AssetID{}, atA)
		if errA == nil {
			_, errA = a.Give(ConsentScopeShareWithAsset, extra, atA)
		}
	}, func() {
		_, errB = b.Give(ConsentScopeShareWithAsset, NewID[Asset](w.f.ids), atB)
		if errB == nil {
			_, errB = b.Withdraw(ConsentScopeShareWithGPRecord, AssetID{}, atB)
		}
	})
	require.NoError(t, errA)
	require.NoError(t, errB)
	assert.False(t, a.Current(ConsentScopeContactByText, AssetID{}, atB))
	assert.True(t, a.Current(ConsentScopeShareWithGPRecord, AssetID{}, atB))
	assert.True(t, a.Current(ConsentScopeShareWithAsset, extra, atB))
	assert.True(t, b.Current(ConsentScopeContactByText, AssetID{}, atB))
	assert.False(t, b.Current(ConsentScopeShareWithGPRecord, AssetID{}, atB))
	assert.False(t, b.Current(ConsentScopeShareWithAsset, extra, atB))
	assert.Equal(t, orig, w.consents, "the original is untouched")
}

func TestASSET_3_CopiesOfAnAssetChangeApart(t *testing.T) {
	f := newFixture(t)
	in := lunchClub(3)
	in.Languages = append(make([]string, 0, 8), "en", "pl")
	orig, listed, err := ListAsset(NewID[Asset](f.ids), in, AssetStatusActive, f.tick())
	require.NoError(t, err)

	// Nothing given or returned shares memory with the record.
	in.Languages[0], listed.Details.Languages[1] = "changed by the caller", "changed in the event"
	got := orig.Details()
	got.Needs[0] = NeedMoney
	assert.Equal(t, []string{"en", "pl"}, orig.Details().Languages)
	assert.True(t, orig.Serves(NeedSocialIsolation))

	snapshot := orig
	snapshot.details = cloneDetails(orig.details)
	a, b := orig, orig
	da, db := lunchClub(5), lunchClub(4)
	da.Languages, db.Languages = []string{"ur"}, []string{"so", "ar"}
	atA, atB := f.tick(), f.tick()
	var errA, errB error
	var updated AssetUpdated
	apart(func() {
		updated, errA = a.Update(da, atA)
		if errA == nil {
			_, errA = a.TakePlace(ReferralID{}, atA)
		}
	}, func() {
		_, errB = b.Update(db, atB)
		if errB == nil {
			_, errB = b.SetStatus(AssetStatusInactive, atB)
		}
	})
	require.NoError(t, errA)
	require.NoError(t, errB)
	updated.Details.Languages[0] = "changed in the event"
	assert.Equal(t, []string{"ur"}, a.Details().Languages)
	assert.Equal(t, 1, a.InUse())
	assert.Equal(t, AssetStatusActive, a.Status())
	assert.Equal(t, []string{"so", "ar"}, b.Details().Languages)
	assert.Zero(t, b.InUse())
	assert.Equal(t, AssetStatusInactive, b.Status())
	assert.Equal(t, snapshot, orig, "the original is untouched")
}

func TestSAFE_1_CopiesOfAConcernChangeApart(t *testing.T) {
	w := newPeopleWorld(t)
	orig := w.concern
	a, b := orig, orig
	atA, atB := w.f.tick(), w.f.tick()
	var errA, errB error
	apart(func() { _, errA = a.Escalate("Priya Shah", atA) }, func() { _, errB = b.Escalate("Tom Reid", atB) })
	require.NoError(t, errA)
	require.NoError(t, errB)
	leadA, whenA, _ := a.Escalated()
	leadB, whenB, _ := b.Escalated()
	assert.Equal(t, "Priya Shah", leadA)
	assert.Equal(t, atA, whenA)
	assert.Equal(t, "Tom Reid", leadB)
	assert.Equal(t, atB, whenB)
	_, _, escalated := orig.Escalated()
	assert.False(t, escalated)
}

func TestCopiesOfPeopleRecordsChangeApart(t *testing.T) {
	f := newFixture(t)
	p1, p2, p3 := NewID[Practice](f.ids), NewID[Practice](f.ids), NewID[Practice](f.ids)
	// Spare capacity: an append in place would put both copies' practice in
	// the same slot.
	list := append(make([]PracticeID, 0, 8), p1)

	worker, registered, err := RegisterLinkWorker(f.lw, LinkWorkerDetails{Title: TitleLinkWorker, Employer: EmployerPCN, Practices: list}, f.tick())
	require.NoError(t, err)
	list[0], registered.Details.Practices[0] = p3, p3 // neither the caller's list nor the event's is the record's
	assert.Equal(t, []PracticeID{p1}, worker.Practices())
	worker.details.Practices = append(make([]PracticeID, 0, 8), p1)
	wa, wb := worker, worker
	atA, atB := f.tick(), f.tick()
	var errA, errB error
	apart(func() { _, errA = wa.AddPractice(p2, atA) }, func() { _, errB = wb.AddPractice(p3, atB) })
	require.NoError(t, errA)
	require.NoError(t, errB)
	assert.Equal(t, []PracticeID{p1, p2}, wa.Practices())
	assert.Equal(t, []PracticeID{p1, p3}, wb.Practices())
	assert.Equal(t, []PracticeID{p1}, worker.Practices())
	got := wa.Practices()
	got[0] = p3
	assert.Equal(t, []PracticeID{p1, p2}, wa.Practices(), "the getter's list is the caller's")

	pcn, _, err := RegisterPCN(NewID[PCN](f.ids), PCNDetails{Name: "Riverside PCN", Practices: []PracticeID{p1}}, f.tick())
	require.NoError(t, err)
	pcn.details.Practices = append(make([]PracticeID, 0, 8), p1)
	na, nb := pcn, pcn
	atA, atB = f.tick(), f.tick()
	var changed PCNChanged
	apart(func() { changed, errA = na.AddPractice(p2, atA) }, func() { _, errB = nb.AddPractice(p3, atB) })
	require.NoError(t, errA)
	require.NoError(t, errB)
	changed.Details.Practices[0] = p3
	assert.Equal(t, []PracticeID{p1, p2}, na.Practices())
	assert.Equal(t, []PracticeID{p1, p3}, nb.Practices())
	assert.Equal(t, []PracticeID{p1}, pcn.Practices())

	// A Practice holds no list: its copies change apart as plain values.
	pr, _, err := RegisterPractice(p1, PracticeDetails{Name: "Mill Lane Surgery"}, f.tick())
	require.NoError(t, err)
	pa, pb := pr, pr
	atA, atB = f.tick(), f.tick()
	apart(func() { _, errA = pa.Change(PracticeDetails{Name: "A"}, atA) }, func() { _, errB = pb.Change(PracticeDetails{Name: "B"}, atB) })
	require.NoError(t, errA)
	require.NoError(t, errB)
	assert.Equal(t, "A", pa.Name())
	assert.Equal(t, "B", pb.Name())
	assert.Equal(t, "Mill Lane Surgery", pr.Name())
}

func TestOUT_1_CopiesOfMeasuresChangeApart(t *testing.T) {
	f := newFixture(t)
	m, _ := f.openMeasures()
	first, err := m.RecordONS4(ReferralID{}, ONS4{Happiness: ScoreOf(5)}, f.tick())
	require.NoError(t, err)
	m.ons4 = append(make([]ONS4Recorded, 0, 8), m.ons4...)
	a, b := m, m
	atA, atB := f.tick(), f.tick()
	var errA, errB error
	apart(func() { _, errA = a.RecordONS4(ReferralID{}, ONS4{Happiness: ScoreOf(6)}, atA) },
		func() { _, errB = b.RecordONS4(ReferralID{}, ONS4{Happiness: ScoreOf(9)}, atB) })
	require.NoError(t, errA)
	require.NoError(t, errB)
	require.Len(t, a.ONS4(), 2)
	require.Len(t, b.ONS4(), 2)
	assert.Equal(t, ScoreOf(6), a.ONS4()[1].Answers.Happiness)
	assert.Equal(t, ScoreOf(9), b.ONS4()[1].Answers.Happiness)
	assert.Equal(t, []ONS4Recorded{first}, m.ONS4(), "the original is untouched")
	got := a.ONS4()
	got[0].Answers.Happiness = ScoreOf(0)
	assert.Equal(t, first, a.ONS4()[0], "the getter's list is the caller's")
}
