package gitlabtest

import (
	"cmp"
	"crypto/sha256"
	"encoding/base64"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/gitlabusers/gitlab/gitlabtest/internal/model"
)

// addUser stores a user from spec without validation (seeding).
func addUser(st *model.Store, spec UserSpec, now time.Time) *user {
	return addUserIn(st, new(user), new(email), spec, now)
}

// addUserIn is addUser storing the user in u and its primary email in
// e, which GenerateUsers allocates in blocks.
func addUserIn(st *model.Store, u *user, e *email, spec UserSpec, now time.Time) *user {
	s := &u.UserData
	s.Username = spec.Username
	s.Name = cmp.Or(spec.Name, spec.Username)
	s.Email = cmp.Or(spec.Email, strings.ToLower(spec.Username)+"@example.com")
	s.PublicEmail, s.CommitEmail, s.Password = spec.PublicEmail, spec.CommitEmail, spec.Password
	u.State = model.UserState(cmp.Or(spec.State, StateActive))
	s.Admin, s.Bot, s.Locked, s.External = spec.Admin, spec.Bot, spec.Locked, spec.External
	s.PrivateProfile, s.TwoFactorEnabled = spec.PrivateProfile, spec.TwoFactorEnabled
	s.ServiceAccount, s.ProvisionedByGroupID, s.ProvisionedByProjectID = spec.ServiceAccount, spec.ProvisionedByGroupID, spec.ProvisionedByProjectID
	if s.ServiceAccount {
		s.Bot = true // GitLab counts service accounts among its bot user types
	}
	s.FollowingEnabled = !spec.DisableFollowing
	s.Bio, s.Location, s.Skype, s.Linkedin, s.Twitter, s.Discord = spec.Bio, spec.Location, spec.Skype, spec.Linkedin, spec.Twitter, spec.Discord
	s.WebsiteURL, s.Organization, s.JobTitle, s.Pronouns = spec.WebsiteURL, spec.Organization, spec.JobTitle, spec.Pronouns
	s.WorkInformation, s.Note = spec.WorkInformation, spec.Note
	s.ProjectsLimit = model.DefaultProjectsLimit
	if spec.ProjectsLimit != nil {
		s.ProjectsLimit = *spec.ProjectsLimit
	}
	s.CanCreateGroup = true
	if spec.CanCreateGroup != nil {
		s.CanCreateGroup = *spec.CanCreateGroup
	}
	s.ThemeID, s.ColorSchemeID = model.DefaultThemeID, model.DefaultColorSchemeID
	s.Identities = slices.Clone(spec.Identities)
	s.CustomAttributes = maps.Clone(spec.CustomAttributes)
	s.Memberships = slices.Clone(spec.Memberships)
	s.Counts = spec.Counts
	s.IssuesAuthored, s.MergeRequestsAuthored = spec.IssuesAuthored, spec.MergeRequestsAuthored
	s.CreatedAt = now
	if !spec.CreatedAt.IsZero() {
		s.CreatedAt = spec.CreatedAt.UTC()
	}
	s.UpdatedAt = s.CreatedAt
	if !spec.Unconfirmed {
		s.ConfirmedAt = model.PtrTime(s.CreatedAt)
	}
	if !spec.LastActivityOn.IsZero() {
		s.LastActivityOn = model.PtrTime(model.DayOf(spec.LastActivityOn))
	}
	if !spec.LastSignInAt.IsZero() {
		s.LastSignInAt = model.PtrTime(spec.LastSignInAt.UTC())
	}
	if !spec.CurrentSignInAt.IsZero() {
		s.CurrentSignInAt = model.PtrTime(spec.CurrentSignInAt.UTC())
	}
	s.LastSignInIP, s.CurrentSignInIP, s.SignInCount = spec.LastSignInIP, spec.CurrentSignInIP, spec.SignInCount
	return st.AddUser(u, e, now)
}

// FakeSSHKey returns a well-formed "ssh-ed25519 AAAA... comment" public
// key line derived from seed: the same seed gives the same key (and the
// same fingerprint, which GitLab requires to be unique), different seeds
// give different keys. The key is not usable for SSH.
func FakeSSHKey(seed string) string {
	sum := sha256.Sum256([]byte("gitlabtest-ssh:" + seed))
	const typ = "ssh-ed25519"
	blob := make([]byte, 0, 4+len(typ)+4+32)
	blob = append(blob, 0, 0, 0, byte(len(typ)))
	blob = append(blob, typ...)
	blob = append(blob, 0, 0, 0, 32)
	blob = append(blob, sum[:]...)
	return typ + " " + base64.StdEncoding.EncodeToString(blob) + " " + seed + "@example.com"
}

// FakeGPGKey returns an ASCII-armored block that the server accepts as a
// GPG public key, derived from seed like FakeSSHKey. It is not a usable
// OpenPGP key.
func FakeGPGKey(seed string) string {
	sum := sha256.Sum256([]byte("gitlabtest-gpg:" + seed))
	body := base64.StdEncoding.EncodeToString(append(sum[:], sum[:]...))
	return "-----BEGIN PGP PUBLIC KEY BLOCK-----\n\n" + body + "\n=" + body[:4] + "\n-----END PGP PUBLIC KEY BLOCK-----"
}
