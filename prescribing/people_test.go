package prescribing

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPeopleRecordsValidate(t *testing.T) {
	f := newFixture(t)
	p1, p2 := NewID[Practice](f.ids), NewID[Practice](f.ids)

	w := LinkWorker{ID: f.lw, Title: TitleCommunityConnector, Employer: EmployerVCSE, Practices: []PracticeID{p1, p2}}
	require.NoError(t, w.Validate())
	assert.True(t, w.Serves(p2))
	assert.False(t, w.Serves(NewID[Practice](f.ids)))
	assert.False(t, w.CommunityBased())
	assert.True(t, LinkWorker{ID: f.lw, Title: TitleLinkWorker, Employer: EmployerPCN}.CommunityBased())

	for name, bad := range map[string]LinkWorker{
		"no ID":            {Title: TitleLinkWorker, Employer: EmployerPCN},
		"no title":         {ID: f.lw, Employer: EmployerPCN},
		"unknown employer": {ID: f.lw, Title: TitleLinkWorker, Employer: Employer(9)},
		"practice twice":   {ID: f.lw, Title: TitleLinkWorker, Employer: EmployerPCN, Practices: []PracticeID{p1, p1}},
		"zero practice":    {ID: f.lw, Title: TitleLinkWorker, Employer: EmployerPCN, Practices: []PracticeID{{}}},
	} {
		assert.ErrorIs(t, bad.Validate(), ErrInvalidRecord, name)
	}

	pcn := PCN{ID: NewID[PCN](f.ids), Name: "Riverside PCN", Practices: []PracticeID{p1, p2}}
	require.NoError(t, pcn.Validate())
	assert.ErrorIs(t, PCN{ID: pcn.ID}.Validate(), ErrInvalidRecord)
	assert.ErrorIs(t, PCN{ID: pcn.ID, Name: "x", Practices: []PracticeID{p1, p1}}.Validate(), ErrInvalidRecord)

	pr := Practice{ID: p1, ODSCode: "A81001", Name: "Mill Lane Surgery", PCN: pcn.ID}
	require.NoError(t, pr.Validate())
	assert.ErrorIs(t, Practice{Name: "x"}.Validate(), ErrInvalidRecord)

	// Records round-trip through JSON.
	for _, v := range []any{w, pcn, pr} {
		b, err := json.Marshal(v)
		require.NoError(t, err)
		switch v.(type) {
		case LinkWorker:
			var back LinkWorker
			require.NoError(t, json.Unmarshal(b, &back))
			assert.Equal(t, v, back)
		case PCN:
			var back PCN
			require.NoError(t, json.Unmarshal(b, &back))
			assert.Equal(t, v, back)
		case Practice:
			var back Practice
			require.NoError(t, json.Unmarshal(b, &back))
			assert.Equal(t, v, back)
		}
	}
}
