package prescribing

import "database/sql/driver"

// ReferralSource is who referred a person to social prescribing, from the NHS
// England list of referral routes.
type ReferralSource uint8

// Referral sources. The first four are general practice.
const (
	SourceGP                       ReferralSource = iota + 1 // a GP
	SourcePracticeNurse                                      // a practice nurse
	SourceOtherClinician                                     // another clinician in the practice
	SourceCareNavigator                                      // a care navigator or administrator
	SourcePharmacy                                           // a community pharmacy
	SourceMultidisciplinaryTeam                              // a multidisciplinary team
	SourceHospitalDischarge                                  // a hospital discharge team
	SourceAlliedHealthProfessional                           // an allied health professional
	SourceFireService                                        // the fire service
	SourcePolice                                             // the police
	SourceJobCentre                                          // a job centre
	SourceSocialCare                                         // social care
	SourceHousingAssociation                                 // a housing association
	SourceVCSE                                               // a voluntary, community or social enterprise organisation
	SourceLocalAuthority                                     // a local authority
	SourceSelf                                               // self-referral: encouraged, rare where people do not know the role exists
)

var sources = NewVocabulary[ReferralSource]("referral source",
	"gp", "practice_nurse", "other_clinician", "care_navigator", "pharmacy",
	"multidisciplinary_team", "hospital_discharge", "allied_health_professional",
	"fire_service", "police", "job_centre", "social_care", "housing_association",
	"vcse", "local_authority", "self")

// ReferralSources returns every referral source in order.
func ReferralSources() []ReferralSource { return sources.Values() }

// IsGeneralPractice reports whether the referral came from within general
// practice (GP, practice nurse, other clinician, care navigator or admin).
func (s ReferralSource) IsGeneralPractice() bool { return s >= SourceGP && s <= SourceCareNavigator }

// String returns the source's text form ("hospital_discharge").
func (s ReferralSource) String() string { return sources.String(s) }

// IsValid reports whether s is a known source.
func (s ReferralSource) IsValid() bool { return sources.Valid(s) }

// MarshalText implements [encoding.TextMarshaler].
func (s ReferralSource) MarshalText() ([]byte, error) { return sources.MarshalText(s) }

// UnmarshalText implements [encoding.TextUnmarshaler].
func (s *ReferralSource) UnmarshalText(b []byte) (err error) {
	*s, err = sources.Parse(string(b))
	return
}

// Scan implements [database/sql.Scanner].
func (s *ReferralSource) Scan(src any) (err error) { *s, err = sources.Scan(src); return }

// Value implements [database/sql/driver.Valuer].
func (s ReferralSource) Value() (driver.Value, error) { return sources.Value(s) }
