package main

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"os"

	"github.com/socialprescribing/linkwork/prescribing"
)

// randomToken is 32 random bytes in hex.
func randomToken() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// DevStaff makes a link worker, their supervisor and an administrator with
// fresh random tokens.
func DevStaff() []Staff {
	lw := prescribing.NewID[prescribing.LinkWorker](prescribing.RandomIDs())
	return []Staff{
		{Token: randomToken(), ID: "lw-1", Role: RoleLinkWorker, LinkWorker: lw, Supervisor: "sup-1"},
		{Token: randomToken(), ID: "sup-1", Role: RoleSupervisor},
		{Token: randomToken(), ID: "admin-1", Role: RoleAdministrator},
	}
}

// writeDevTokens writes DevStaff to path, readable by its owner only.
func writeDevTokens(path string) error {
	b, err := json.MarshalIndent(DevStaff(), "", "  ")
	if err != nil {
		return err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if _, err := f.Write(append(b, '\n')); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
