package prescribing

// SNOMEDCode is a SNOMED CT concept ID recorded on a referral (rule REF-6).
type SNOMEDCode string

// The SNOMED CT concepts of social prescribing, recorded once per referral
// at its first contact.
const (
	// SNOMEDReferralToSocialPrescribing is recorded at the first contact
	// where the person accepts.
	SNOMEDReferralToSocialPrescribing SNOMEDCode = "871731000000106"
	// SNOMEDSocialPrescribingDeclined is recorded when the person declines
	// at first contact.
	SNOMEDSocialPrescribingDeclined SNOMEDCode = "871711000000103"
)

// SNOMEDSystem is the FHIR code system URI of SNOMED CT.
const SNOMEDSystem = "http://snomed.info/sct"

// Display returns the concept's preferred term, or "" for a code this
// package does not define.
func (c SNOMEDCode) Display() string {
	switch c {
	case SNOMEDReferralToSocialPrescribing:
		return "Referral to social prescribing service"
	case SNOMEDSocialPrescribingDeclined:
		return "Social prescribing declined"
	}
	return ""
}

// String returns the concept ID.
func (c SNOMEDCode) String() string { return string(c) }
