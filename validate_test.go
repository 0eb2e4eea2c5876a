package gitlab

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"math"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// GitLab takes extern_uid and provider together or not at all; a half
// pair fails before any request (no mock is registered).
func TestExternIdentityPair(t *testing.T) {
	c := newTestClient(t)
	ctx := context.Background()
	base := func() *CreateUserOptions {
		return &CreateUserOptions{Email: Ptr("a@b.c"), Username: Ptr("a"), Name: Ptr("A"), ResetPassword: Ptr(true)}
	}
	half := base()
	half.ExternUID = Ptr("42")
	_, _, err := c.Users.Create(ctx, half)
	assert.ErrorIs(t, err, ErrInvalidArgument)
	assert.Contains(t, err.Error(), "extern_uid and provider go together")

	_, _, err = c.Users.Update(ctx, 1, &UpdateUserOptions{Provider: Ptr("github")})
	assert.ErrorIs(t, err, ErrInvalidArgument)
	_, _, err = c.Users.List(ctx, &ListUsersOptions{ExternUID: Ptr("42")})
	assert.ErrorIs(t, err, ErrInvalidArgument)
	for _, err := range c.Users.ListIter(ctx, &ListUsersOptions{Provider: Ptr("github")}) {
		assert.ErrorIs(t, err, ErrInvalidArgument)
	}

	both := base()
	both.ExternUID, both.Provider = Ptr("42"), Ptr("github")
	require.NoError(t, both.validate())
	require.NoError(t, (*UpdateUserOptions)(nil).validate())
	require.NoError(t, (*ListUsersOptions)(nil).validate())
}

// An ISODate read from a timestamp is that timestamp's calendar date at
// midnight UTC, as Time documents.
func TestISODateFromTimestamp(t *testing.T) {
	for in, want := range map[string]string{
		`"2017-04-04"`:                "2017-04-04",
		`"2017-04-04T23:30:00-05:00"`: "2017-04-04",
		`"2017-04-04T00:30:00+02:00"`: "2017-04-04",
		`"2017-04-04T08:00:00.123Z"`:  "2017-04-04",
	} {
		var d ISODate
		require.NoError(t, json.Unmarshal([]byte(in), &d), in)
		assert.Equal(t, want, d.String(), in)
		y, m, day := d.Time().Date()
		assert.Equal(t, time.Date(y, m, day, 0, 0, 0, 0, time.UTC), d.Time(), in)
	}
	var d ISODate
	assert.Error(t, json.Unmarshal([]byte(`"04/04/2017"`), &d))
	assert.NoError(t, json.Unmarshal([]byte(`null`), &d))
}

// badArg is one call whose arguments cannot be right.
type badArg struct {
	method string // "Service.Method", as reached from a Client
	bad    string // what is wrong with the arguments
	call   apiCall
}

// badArgs is the one table of bad arguments. Every exported method of
// every service of a Client has at least one case
// (TestBadArgumentsCoverEveryMethod fails otherwise), and each case must
// fail with ErrInvalidArgument before anything is sent
// (TestBadArguments). A new method gets its rows here: forIDs for each
// id it takes, forUserRefs for a UserRef, and a row for every required
// option field, nil options where they are required, and a nil ctx
// where it takes nothing else.
func badArgs() []badArg {
	var nilCtx context.Context // a caller's bug the SDK must report, not panic on
	sshKey := &CreateSSHKeyOptions{Title: Ptr("t"), Key: Ptr("ssh-ed25519 AAAA")}
	gpgKey := &CreateGPGKeyOptions{Key: Ptr("k")}
	email := &CreateEmailOptions{Email: Ptr("a@example.com")}
	token := &CreateImpersonationTokenOptions{Name: Ptr("n"), Scopes: []string{ScopeAPI}}
	user := func(mod func(*CreateUserOptions)) *CreateUserOptions {
		o := &CreateUserOptions{Email: Ptr("a@example.com"), Username: Ptr("a"), Name: Ptr("A"), Password: Ptr("pw-123456789")}
		mod(o)
		return o
	}
	noContent := &File{Name: "a.png"}
	return slices.Concat(
		// Users
		forIDs("Users.Get", "id", func(ctx context.Context, c *Client, id int64) error {
			return rejected(c.Users.Get(ctx, id, &GetUserOptions{}))
		}),
		forIDs("Users.Update", "id", func(ctx context.Context, c *Client, id int64) error {
			return rejected(c.Users.Update(ctx, id, &UpdateUserOptions{Name: Ptr("x")}))
		}),
		forIDs("Users.Delete", "id", func(ctx context.Context, c *Client, id int64) error {
			return rejectedResp(c.Users.Delete(ctx, id, &DeleteUserOptions{HardDelete: Ptr(true)}))
		}),
		forIDs("Users.DeleteIdentity", "id", func(ctx context.Context, c *Client, id int64) error {
			return rejectedResp(c.Users.DeleteIdentity(ctx, id, "github"))
		}),
		forIDs("Users.Block", "id", func(ctx context.Context, c *Client, id int64) error { return rejectedResp(c.Users.Block(ctx, id)) }),
		forIDs("Users.Unblock", "id", func(ctx context.Context, c *Client, id int64) error { return rejectedResp(c.Users.Unblock(ctx, id)) }),
		forIDs("Users.Deactivate", "id", func(ctx context.Context, c *Client, id int64) error { return rejectedResp(c.Users.Deactivate(ctx, id)) }),
		forIDs("Users.Activate", "id", func(ctx context.Context, c *Client, id int64) error { return rejectedResp(c.Users.Activate(ctx, id)) }),
		forIDs("Users.ListMemberships", "id", func(ctx context.Context, c *Client, id int64) error {
			return rejected(c.Users.ListMemberships(ctx, id, nil))
		}),
		forIDs("Users.ListMembershipsIter", "id", func(ctx context.Context, c *Client, id int64) error {
			return rejectedIter(c.Users.ListMembershipsIter(ctx, id, nil))
		}),
		[]badArg{
			{"Users.Get", "id 0, nil options", func(ctx context.Context, c *Client) error { return rejected(c.Users.Get(ctx, 0, nil)) }},
			{"Users.Get", "nil ctx", func(_ context.Context, c *Client) error { return rejected(c.Users.Get(nilCtx, 1, nil)) }},
			{"Users.Update", "provider without extern_uid", func(ctx context.Context, c *Client) error {
				return rejected(c.Users.Update(ctx, 1, &UpdateUserOptions{Provider: Ptr("github")}))
			}},
			{"Users.Update", "avatar without content", func(ctx context.Context, c *Client) error {
				return rejected(c.Users.Update(ctx, 1, &UpdateUserOptions{Avatar: noContent}))
			}},
			{"Users.Update", "id -3, nil options", func(ctx context.Context, c *Client) error { return rejected(c.Users.Update(ctx, -3, nil)) }},
			{"Users.Delete", "id 0, nil options", func(ctx context.Context, c *Client) error { return rejectedResp(c.Users.Delete(ctx, 0, nil)) }},
			{"Users.DeleteIdentity", "empty provider", func(ctx context.Context, c *Client) error { return rejectedResp(c.Users.DeleteIdentity(ctx, 1, "")) }},
			{"Users.Block", "nil ctx", func(_ context.Context, c *Client) error { return rejectedResp(c.Users.Block(nilCtx, 1)) }},
			{"Users.Create", "nil ctx", func(_ context.Context, c *Client) error { return rejected(c.Users.Create(nilCtx, nil)) }},
			{"Users.Create", "nil options", func(ctx context.Context, c *Client) error { return rejected(c.Users.Create(ctx, nil)) }},
			{"Users.Create", "empty options", func(ctx context.Context, c *Client) error { return rejected(c.Users.Create(ctx, &CreateUserOptions{})) }},
			{"Users.Create", "no email", func(ctx context.Context, c *Client) error {
				return rejected(c.Users.Create(ctx, user(func(o *CreateUserOptions) { o.Email = nil })))
			}},
			{"Users.Create", "empty email", func(ctx context.Context, c *Client) error {
				return rejected(c.Users.Create(ctx, user(func(o *CreateUserOptions) { o.Email = Ptr("") })))
			}},
			{"Users.Create", "no username", func(ctx context.Context, c *Client) error {
				return rejected(c.Users.Create(ctx, user(func(o *CreateUserOptions) { o.Username = nil })))
			}},
			{"Users.Create", "empty username", func(ctx context.Context, c *Client) error {
				return rejected(c.Users.Create(ctx, user(func(o *CreateUserOptions) { o.Username = Ptr("") })))
			}},
			{"Users.Create", "no name", func(ctx context.Context, c *Client) error {
				return rejected(c.Users.Create(ctx, user(func(o *CreateUserOptions) { o.Name = nil })))
			}},
			{"Users.Create", "empty name", func(ctx context.Context, c *Client) error {
				return rejected(c.Users.Create(ctx, user(func(o *CreateUserOptions) { o.Name = Ptr("") })))
			}},
			{"Users.Create", "no password option", func(ctx context.Context, c *Client) error {
				return rejected(c.Users.Create(ctx, user(func(o *CreateUserOptions) { o.Password = nil })))
			}},
			{"Users.Create", "empty password", func(ctx context.Context, c *Client) error {
				return rejected(c.Users.Create(ctx, user(func(o *CreateUserOptions) { o.Password = Ptr("") })))
			}},
			{"Users.Create", "password options false", func(ctx context.Context, c *Client) error {
				return rejected(c.Users.Create(ctx, user(func(o *CreateUserOptions) {
					o.Password, o.ResetPassword, o.ForceRandomPassword = nil, Ptr(false), Ptr(false)
				})))
			}},
			{"Users.Create", "extern_uid without provider", func(ctx context.Context, c *Client) error {
				return rejected(c.Users.Create(ctx, user(func(o *CreateUserOptions) { o.ExternUID = Ptr("42") })))
			}},
			{"Users.Create", "avatar without a name", func(ctx context.Context, c *Client) error {
				return rejected(c.Users.Create(ctx, user(func(o *CreateUserOptions) { o.Avatar = &File{Content: strings.NewReader("x")} })))
			}},
			{"Users.List", "extern_uid without provider", func(ctx context.Context, c *Client) error {
				return rejected(c.Users.List(ctx, &ListUsersOptions{ExternUID: Ptr("42")}))
			}},
			{"Users.List", "nil ctx", func(_ context.Context, c *Client) error { return rejected(c.Users.List(nilCtx, nil)) }},
			{"Users.ListIter", "provider without extern_uid", func(ctx context.Context, c *Client) error {
				return rejectedIter(c.Users.ListIter(ctx, &ListUsersOptions{Provider: Ptr("github")}))
			}},
			{"Users.ListIter", "nil ctx", func(_ context.Context, c *Client) error { return rejectedIter(c.Users.ListIter(nilCtx, nil)) }},
			{"Users.ListIter", "WithHeader PRIVATE-TOKEN", func(ctx context.Context, c *Client) error {
				return rejectedIter(c.Users.ListIter(ctx, nil, WithHeader("PRIVATE-TOKEN", "x")))
			}},
			{"Users.Current", "nil ctx", func(_ context.Context, c *Client) error { return rejected(c.Users.Current(nilCtx)) }},
			{"Users.GetByUsername", "empty name", func(ctx context.Context, c *Client) error { return rejected(c.Users.GetByUsername(ctx, "")) }},
			{"Users.GetByUsername", "only @", func(ctx context.Context, c *Client) error { return rejected(c.Users.GetByUsername(ctx, "@")) }},
			{"Users.GetByUsername", "control character", func(ctx context.Context, c *Client) error { return rejected(c.Users.GetByUsername(ctx, "a\nb")) }},
			{"Users.GetByUsername", "nil ctx", func(_ context.Context, c *Client) error { return rejected(c.Users.GetByUsername(nilCtx, "jane")) }},
			{"Users.Current", "WithSudo empty username", func(ctx context.Context, c *Client) error {
				return rejected(c.Users.Current(ctx, WithSudo(Username(""))))
			}},
			{"Users.Current", "WithSudo nil", func(ctx context.Context, c *Client) error { return rejected(c.Users.Current(ctx, WithSudo(nil))) }},
			{"Users.Current", "WithSudo UserID 0", func(ctx context.Context, c *Client) error {
				return rejected(c.Users.Current(ctx, WithSudo(UserID(0))))
			}},
			{"Users.Current", "WithSudo newline", func(ctx context.Context, c *Client) error {
				return rejected(c.Users.Current(ctx, WithSudo(Username("a\nb"))))
			}},
			{"Users.Current", "WithHeader private-token", func(ctx context.Context, c *Client) error {
				return rejected(c.Users.Current(ctx, WithHeader("private-token", "x")))
			}},
			{"Users.Current", "WithHeader Authorization", func(ctx context.Context, c *Client) error {
				return rejected(c.Users.Current(ctx, WithHeader("Authorization", "x")))
			}},
			{"Users.Counts", "nil ctx", func(_ context.Context, c *Client) error { return rejected(c.Users.Counts(nilCtx)) }},
			{"Users.Counts", "WithSudo nil", func(ctx context.Context, c *Client) error { return rejected(c.Users.Counts(ctx, WithSudo(nil))) }},
			{"Users.ListActivities", "nil ctx", func(_ context.Context, c *Client) error { return rejected(c.Users.ListActivities(nilCtx, nil)) }},
			{"Users.ListActivitiesIter", "nil ctx", func(_ context.Context, c *Client) error {
				return rejectedIter(c.Users.ListActivitiesIter(nilCtx, nil))
			}},
			{"Users.ListMemberships", "nil ctx", func(_ context.Context, c *Client) error { return rejected(c.Users.ListMemberships(nilCtx, 1, nil)) }},
		},

		// SSH keys
		forIDs("SSHKeys.Get", "id", func(ctx context.Context, c *Client, id int64) error { return rejected(c.SSHKeys.Get(ctx, id)) }),
		forIDs("SSHKeys.Delete", "id", func(ctx context.Context, c *Client, id int64) error { return rejectedResp(c.SSHKeys.Delete(ctx, id)) }),
		forIDs("SSHKeys.CreateForUser", "user id", func(ctx context.Context, c *Client, id int64) error {
			return rejected(c.SSHKeys.CreateForUser(ctx, id, sshKey))
		}),
		forIDs("SSHKeys.DeleteForUser", "user id", func(ctx context.Context, c *Client, id int64) error {
			return rejectedResp(c.SSHKeys.DeleteForUser(ctx, id, 1))
		}),
		forIDs("SSHKeys.DeleteForUser", "key id", func(ctx context.Context, c *Client, id int64) error {
			return rejectedResp(c.SSHKeys.DeleteForUser(ctx, 1, id))
		}),
		forUserRefs("SSHKeys.ListForUser", func(ctx context.Context, c *Client, u UserRef) error {
			return rejected(c.SSHKeys.ListForUser(ctx, u, nil))
		}),
		forUserRefs("SSHKeys.ListForUserIter", func(ctx context.Context, c *Client, u UserRef) error {
			return rejectedIter(c.SSHKeys.ListForUserIter(ctx, u, nil))
		}),
		[]badArg{
			{"SSHKeys.List", "nil ctx", func(_ context.Context, c *Client) error { return rejected(c.SSHKeys.List(nilCtx, nil)) }},
			{"SSHKeys.ListIter", "nil ctx", func(_ context.Context, c *Client) error { return rejectedIter(c.SSHKeys.ListIter(nilCtx, nil)) }},
			{"SSHKeys.ListForUser", "nil ctx", func(_ context.Context, c *Client) error {
				return rejected(c.SSHKeys.ListForUser(nilCtx, Username("jane"), nil))
			}},
			{"SSHKeys.DeleteForUser", "both ids negative", func(ctx context.Context, c *Client) error {
				return rejectedResp(c.SSHKeys.DeleteForUser(ctx, -5, -1))
			}},
			{"SSHKeys.Create", "nil options", func(ctx context.Context, c *Client) error { return rejected(c.SSHKeys.Create(ctx, nil)) }},
			{"SSHKeys.Create", "empty options", func(ctx context.Context, c *Client) error {
				return rejected(c.SSHKeys.Create(ctx, &CreateSSHKeyOptions{}))
			}},
			{"SSHKeys.Create", "no key", func(ctx context.Context, c *Client) error {
				return rejected(c.SSHKeys.Create(ctx, &CreateSSHKeyOptions{Title: Ptr("t")}))
			}},
			{"SSHKeys.Create", "empty key", func(ctx context.Context, c *Client) error {
				return rejected(c.SSHKeys.Create(ctx, &CreateSSHKeyOptions{Title: Ptr("t"), Key: Ptr("")}))
			}},
			{"SSHKeys.Create", "no title", func(ctx context.Context, c *Client) error {
				return rejected(c.SSHKeys.Create(ctx, &CreateSSHKeyOptions{Key: Ptr("k")}))
			}},
			{"SSHKeys.Create", "empty title", func(ctx context.Context, c *Client) error {
				return rejected(c.SSHKeys.Create(ctx, &CreateSSHKeyOptions{Title: Ptr(""), Key: Ptr("k")}))
			}},
			{"SSHKeys.CreateForUser", "nil options", func(ctx context.Context, c *Client) error {
				return rejected(c.SSHKeys.CreateForUser(ctx, 1, nil))
			}},
			{"SSHKeys.CreateForUser", "empty key", func(ctx context.Context, c *Client) error {
				return rejected(c.SSHKeys.CreateForUser(ctx, 1, &CreateSSHKeyOptions{Title: Ptr("t"), Key: Ptr("")}))
			}},
		},

		// GPG keys
		forIDs("GPGKeys.Get", "id", func(ctx context.Context, c *Client, id int64) error { return rejected(c.GPGKeys.Get(ctx, id)) }),
		forIDs("GPGKeys.Delete", "id", func(ctx context.Context, c *Client, id int64) error { return rejectedResp(c.GPGKeys.Delete(ctx, id)) }),
		forIDs("GPGKeys.ListForUser", "user id", func(ctx context.Context, c *Client, id int64) error {
			return rejected(c.GPGKeys.ListForUser(ctx, id, nil))
		}),
		forIDs("GPGKeys.ListForUserIter", "user id", func(ctx context.Context, c *Client, id int64) error {
			return rejectedIter(c.GPGKeys.ListForUserIter(ctx, id, nil))
		}),
		forIDs("GPGKeys.GetForUser", "user id", func(ctx context.Context, c *Client, id int64) error {
			return rejected(c.GPGKeys.GetForUser(ctx, id, 1))
		}),
		forIDs("GPGKeys.GetForUser", "key id", func(ctx context.Context, c *Client, id int64) error {
			return rejected(c.GPGKeys.GetForUser(ctx, 1, id))
		}),
		forIDs("GPGKeys.CreateForUser", "user id", func(ctx context.Context, c *Client, id int64) error {
			return rejected(c.GPGKeys.CreateForUser(ctx, id, gpgKey))
		}),
		forIDs("GPGKeys.DeleteForUser", "user id", func(ctx context.Context, c *Client, id int64) error {
			return rejectedResp(c.GPGKeys.DeleteForUser(ctx, id, 1))
		}),
		forIDs("GPGKeys.DeleteForUser", "key id", func(ctx context.Context, c *Client, id int64) error {
			return rejectedResp(c.GPGKeys.DeleteForUser(ctx, 1, id))
		}),
		[]badArg{
			{"GPGKeys.List", "nil ctx", func(_ context.Context, c *Client) error { return rejected(c.GPGKeys.List(nilCtx, nil)) }},
			{"GPGKeys.ListIter", "nil ctx", func(_ context.Context, c *Client) error { return rejectedIter(c.GPGKeys.ListIter(nilCtx, nil)) }},
			{"GPGKeys.Create", "nil options", func(ctx context.Context, c *Client) error { return rejected(c.GPGKeys.Create(ctx, nil)) }},
			{"GPGKeys.Create", "no key", func(ctx context.Context, c *Client) error {
				return rejected(c.GPGKeys.Create(ctx, &CreateGPGKeyOptions{}))
			}},
			{"GPGKeys.Create", "empty key", func(ctx context.Context, c *Client) error {
				return rejected(c.GPGKeys.Create(ctx, &CreateGPGKeyOptions{Key: Ptr("")}))
			}},
			{"GPGKeys.CreateForUser", "nil options", func(ctx context.Context, c *Client) error {
				return rejected(c.GPGKeys.CreateForUser(ctx, 1, nil))
			}},
			{"GPGKeys.CreateForUser", "empty key", func(ctx context.Context, c *Client) error {
				return rejected(c.GPGKeys.CreateForUser(ctx, 1, &CreateGPGKeyOptions{Key: Ptr("")}))
			}},
		},

		// Emails
		forIDs("Emails.Get", "id", func(ctx context.Context, c *Client, id int64) error { return rejected(c.Emails.Get(ctx, id)) }),
		forIDs("Emails.Delete", "id", func(ctx context.Context, c *Client, id int64) error { return rejectedResp(c.Emails.Delete(ctx, id)) }),
		forIDs("Emails.ListForUser", "user id", func(ctx context.Context, c *Client, id int64) error {
			return rejected(c.Emails.ListForUser(ctx, id, nil))
		}),
		forIDs("Emails.ListForUserIter", "user id", func(ctx context.Context, c *Client, id int64) error {
			return rejectedIter(c.Emails.ListForUserIter(ctx, id, nil))
		}),
		forIDs("Emails.CreateForUser", "user id", func(ctx context.Context, c *Client, id int64) error {
			return rejected(c.Emails.CreateForUser(ctx, id, email))
		}),
		forIDs("Emails.DeleteForUser", "user id", func(ctx context.Context, c *Client, id int64) error {
			return rejectedResp(c.Emails.DeleteForUser(ctx, id, 1))
		}),
		forIDs("Emails.DeleteForUser", "email id", func(ctx context.Context, c *Client, id int64) error {
			return rejectedResp(c.Emails.DeleteForUser(ctx, 1, id))
		}),
		[]badArg{
			{"Emails.List", "nil ctx", func(_ context.Context, c *Client) error { return rejected(c.Emails.List(nilCtx, nil)) }},
			{"Emails.ListIter", "nil ctx", func(_ context.Context, c *Client) error { return rejectedIter(c.Emails.ListIter(nilCtx, nil)) }},
			{"Emails.Create", "nil options", func(ctx context.Context, c *Client) error { return rejected(c.Emails.Create(ctx, nil)) }},
			{"Emails.Create", "no email", func(ctx context.Context, c *Client) error {
				return rejected(c.Emails.Create(ctx, &CreateEmailOptions{}))
			}},
			{"Emails.Create", "empty email", func(ctx context.Context, c *Client) error {
				return rejected(c.Emails.Create(ctx, &CreateEmailOptions{Email: Ptr("")}))
			}},
			{"Emails.CreateForUser", "nil options", func(ctx context.Context, c *Client) error {
				return rejected(c.Emails.CreateForUser(ctx, 1, nil))
			}},
			{"Emails.CreateForUser", "empty email", func(ctx context.Context, c *Client) error {
				return rejected(c.Emails.CreateForUser(ctx, 1, &CreateEmailOptions{Email: Ptr(""), SkipConfirmation: Ptr(true)}))
			}},
		},

		// Status
		forUserRefs("Status.GetForUser", func(ctx context.Context, c *Client, u UserRef) error { return rejected(c.Status.GetForUser(ctx, u)) }),
		[]badArg{
			{"Status.Get", "nil ctx", func(_ context.Context, c *Client) error { return rejected(c.Status.Get(nilCtx)) }},
			{"Status.Get", "WithSudo nil", func(ctx context.Context, c *Client) error { return rejected(c.Status.Get(ctx, WithSudo(nil))) }},
			{"Status.Set", "nil ctx", func(_ context.Context, c *Client) error { return rejected(c.Status.Set(nilCtx, nil)) }},
			{"Status.Set", "WithSudo empty username", func(ctx context.Context, c *Client) error {
				return rejected(c.Status.Set(ctx, &SetStatusOptions{Emoji: Ptr("coffee")}, WithSudo(Username(""))))
			}},
		},

		// Follows
		forIDs("Follows.Follow", "id", func(ctx context.Context, c *Client, id int64) error { return rejected(c.Follows.Follow(ctx, id)) }),
		forIDs("Follows.Unfollow", "id", func(ctx context.Context, c *Client, id int64) error { return rejected(c.Follows.Unfollow(ctx, id)) }),
		forIDs("Follows.ListFollowers", "id", func(ctx context.Context, c *Client, id int64) error {
			return rejected(c.Follows.ListFollowers(ctx, id, nil))
		}),
		forIDs("Follows.ListFollowersIter", "id", func(ctx context.Context, c *Client, id int64) error {
			return rejectedIter(c.Follows.ListFollowersIter(ctx, id, nil))
		}),
		forIDs("Follows.ListFollowing", "id", func(ctx context.Context, c *Client, id int64) error {
			return rejected(c.Follows.ListFollowing(ctx, id, &ListOptions{}))
		}),
		forIDs("Follows.ListFollowingIter", "id", func(ctx context.Context, c *Client, id int64) error {
			return rejectedIter(c.Follows.ListFollowingIter(ctx, id, nil))
		}),
		[]badArg{
			{"Follows.ListFollowersIter", "nil ctx", func(_ context.Context, c *Client) error {
				return rejectedIter(c.Follows.ListFollowersIter(nilCtx, 1, nil))
			}},
		},

		// Impersonation tokens
		forIDs("ImpersonationTokens.List", "user id", func(ctx context.Context, c *Client, id int64) error {
			return rejected(c.ImpersonationTokens.List(ctx, id, &ListImpersonationTokensOptions{}))
		}),
		forIDs("ImpersonationTokens.ListIter", "user id", func(ctx context.Context, c *Client, id int64) error {
			return rejectedIter(c.ImpersonationTokens.ListIter(ctx, id, nil))
		}),
		forIDs("ImpersonationTokens.Get", "user id", func(ctx context.Context, c *Client, id int64) error {
			return rejected(c.ImpersonationTokens.Get(ctx, id, 1))
		}),
		forIDs("ImpersonationTokens.Get", "token id", func(ctx context.Context, c *Client, id int64) error {
			return rejected(c.ImpersonationTokens.Get(ctx, 1, id))
		}),
		forIDs("ImpersonationTokens.Create", "user id", func(ctx context.Context, c *Client, id int64) error {
			return rejected(c.ImpersonationTokens.Create(ctx, id, token))
		}),
		forIDs("ImpersonationTokens.Revoke", "user id", func(ctx context.Context, c *Client, id int64) error {
			return rejectedResp(c.ImpersonationTokens.Revoke(ctx, id, 1))
		}),
		forIDs("ImpersonationTokens.Revoke", "token id", func(ctx context.Context, c *Client, id int64) error {
			return rejectedResp(c.ImpersonationTokens.Revoke(ctx, 1, id))
		}),
		[]badArg{
			{"ImpersonationTokens.List", "user id 0, nil options", func(ctx context.Context, c *Client) error {
				return rejected(c.ImpersonationTokens.List(ctx, 0, nil))
			}},
			{"ImpersonationTokens.Create", "nil options", func(ctx context.Context, c *Client) error {
				return rejected(c.ImpersonationTokens.Create(ctx, 42, nil))
			}},
			{"ImpersonationTokens.Create", "no name", func(ctx context.Context, c *Client) error {
				return rejected(c.ImpersonationTokens.Create(ctx, 42, &CreateImpersonationTokenOptions{Scopes: []string{ScopeAPI}}))
			}},
			{"ImpersonationTokens.Create", "empty name", func(ctx context.Context, c *Client) error {
				return rejected(c.ImpersonationTokens.Create(ctx, 42, &CreateImpersonationTokenOptions{Name: Ptr(""), Scopes: []string{ScopeAPI}}))
			}},
			{"ImpersonationTokens.Create", "no scopes", func(ctx context.Context, c *Client) error {
				return rejected(c.ImpersonationTokens.Create(ctx, 42, &CreateImpersonationTokenOptions{Name: Ptr("t")}))
			}},
			{"ImpersonationTokens.Create", "empty scopes", func(ctx context.Context, c *Client) error {
				return rejected(c.ImpersonationTokens.Create(ctx, 42, &CreateImpersonationTokenOptions{Name: Ptr("t"), Scopes: []string{}}))
			}},
			{"ImpersonationTokens.Create", "scopes and granular scopes", func(ctx context.Context, c *Client) error {
				return rejected(c.ImpersonationTokens.Create(ctx, 42, &CreateImpersonationTokenOptions{Name: Ptr("t"), Scopes: []string{ScopeAPI},
					GranularScopes: []*GranularScopeOptions{{Access: GranularAccessUser, Permissions: []string{"read_user"}}}}))
			}},
			{"ImpersonationTokens.Create", "granular scope without access", func(ctx context.Context, c *Client) error {
				return rejected(c.ImpersonationTokens.Create(ctx, 42, &CreateImpersonationTokenOptions{Name: Ptr("t"),
					GranularScopes: []*GranularScopeOptions{{Permissions: []string{"read_user"}}}}))
			}},
			{"ImpersonationTokens.Create", "granular scope without permissions", func(ctx context.Context, c *Client) error {
				return rejected(c.ImpersonationTokens.Create(ctx, 42, &CreateImpersonationTokenOptions{Name: Ptr("t"),
					GranularScopes: []*GranularScopeOptions{{Access: GranularAccessUser}}}))
			}},
			{"ImpersonationTokens.Create", "nil granular scope", func(ctx context.Context, c *Client) error {
				return rejected(c.ImpersonationTokens.Create(ctx, 42, &CreateImpersonationTokenOptions{Name: Ptr("t"),
					GranularScopes: []*GranularScopeOptions{nil}}))
			}},
		},
		secondStageBadArgs(nilCtx, noContent),
	)
}

// secondStageBadArgs are the rows of the second-stage user endpoints:
// moderation, users extras, key look-ups, GPG revoke, PATCH status and
// custom attributes.
func secondStageBadArgs(nilCtx context.Context, noContent *File) []badArg {
	pat := &CreatePersonalAccessTokenOptions{Name: Ptr("n"), Scopes: []string{ScopeAPI}}
	return slices.Concat(
		forIDs("Users.Ban", "id", func(ctx context.Context, c *Client, id int64) error { return rejectedResp(c.Users.Ban(ctx, id)) }),
		forIDs("Users.Unban", "id", func(ctx context.Context, c *Client, id int64) error { return rejectedResp(c.Users.Unban(ctx, id)) }),
		forIDs("Users.Approve", "id", func(ctx context.Context, c *Client, id int64) error { return rejectedResp(c.Users.Approve(ctx, id)) }),
		forIDs("Users.Reject", "id", func(ctx context.Context, c *Client, id int64) error { return rejectedResp(c.Users.Reject(ctx, id)) }),
		forIDs("Users.DisableTwoFactor", "id", func(ctx context.Context, c *Client, id int64) error {
			return rejectedResp(c.Users.DisableTwoFactor(ctx, id))
		}),
		forIDs("Users.CountAssociations", "id", func(ctx context.Context, c *Client, id int64) error {
			return rejected(c.Users.CountAssociations(ctx, id))
		}),
		forIDs("Users.GetSupportPINForUser", "id", func(ctx context.Context, c *Client, id int64) error {
			return rejected(c.Users.GetSupportPINForUser(ctx, id))
		}),
		forIDs("Users.RevokeSupportPINForUser", "id", func(ctx context.Context, c *Client, id int64) error {
			return rejectedResp(c.Users.RevokeSupportPINForUser(ctx, id))
		}),
		forIDs("SSHKeys.GetForUser", "user id", func(ctx context.Context, c *Client, id int64) error {
			return rejected(c.SSHKeys.GetForUser(ctx, id, 1))
		}),
		forIDs("SSHKeys.GetForUser", "key id", func(ctx context.Context, c *Client, id int64) error {
			return rejected(c.SSHKeys.GetForUser(ctx, 1, id))
		}),
		forIDs("SSHKeys.GetWithUser", "key id", func(ctx context.Context, c *Client, id int64) error {
			return rejected(c.SSHKeys.GetWithUser(ctx, id))
		}),
		forIDs("GPGKeys.Revoke", "key id", func(ctx context.Context, c *Client, id int64) error {
			return rejectedResp(c.GPGKeys.Revoke(ctx, id))
		}),
		forIDs("GPGKeys.RevokeForUser", "user id", func(ctx context.Context, c *Client, id int64) error {
			return rejectedResp(c.GPGKeys.RevokeForUser(ctx, id, 1))
		}),
		forIDs("GPGKeys.RevokeForUser", "key id", func(ctx context.Context, c *Client, id int64) error {
			return rejectedResp(c.GPGKeys.RevokeForUser(ctx, 1, id))
		}),
		forIDs("CustomAttributes.List", "id", func(ctx context.Context, c *Client, id int64) error {
			return rejected(c.CustomAttributes.List(ctx, id))
		}),
		forIDs("CustomAttributes.Get", "id", func(ctx context.Context, c *Client, id int64) error {
			return rejected(c.CustomAttributes.Get(ctx, id, "k"))
		}),
		forIDs("CustomAttributes.Set", "id", func(ctx context.Context, c *Client, id int64) error {
			return rejected(c.CustomAttributes.Set(ctx, id, "k", "v"))
		}),
		forIDs("CustomAttributes.Delete", "id", func(ctx context.Context, c *Client, id int64) error {
			return rejectedResp(c.CustomAttributes.Delete(ctx, id, "k"))
		}),
		[]badArg{
			{"Users.GetPreferences", "nil ctx", func(_ context.Context, c *Client) error { return rejected(c.Users.GetPreferences(nilCtx)) }},
			{"Users.UpdatePreferences", "nil options", func(ctx context.Context, c *Client) error {
				return rejected(c.Users.UpdatePreferences(ctx, nil))
			}},
			{"Users.UpdatePreferences", "no field set", func(ctx context.Context, c *Client) error {
				return rejected(c.Users.UpdatePreferences(ctx, &UpdatePreferencesOptions{}))
			}},
			{"Users.UploadAvatar", "nil file", func(ctx context.Context, c *Client) error { return rejected(c.Users.UploadAvatar(ctx, nil)) }},
			{"Users.UploadAvatar", "file without content", func(ctx context.Context, c *Client) error {
				return rejected(c.Users.UploadAvatar(ctx, noContent))
			}},
			{"Users.UploadAvatar", "file without a name", func(ctx context.Context, c *Client) error {
				return rejected(c.Users.UploadAvatar(ctx, &File{Content: strings.NewReader("x")}))
			}},
			{"Users.CreateRunner", "nil options", func(ctx context.Context, c *Client) error { return rejected(c.Users.CreateRunner(ctx, nil)) }},
			{"Users.CreateRunner", "no runner type", func(ctx context.Context, c *Client) error {
				return rejected(c.Users.CreateRunner(ctx, &CreateUserRunnerOptions{}))
			}},
			{"Users.CreateRunner", "group runner without group", func(ctx context.Context, c *Client) error {
				return rejected(c.Users.CreateRunner(ctx, &CreateUserRunnerOptions{RunnerType: Ptr(RunnerTypeGroup)}))
			}},
			{"Users.CreateRunner", "project runner without project", func(ctx context.Context, c *Client) error {
				return rejected(c.Users.CreateRunner(ctx, &CreateUserRunnerOptions{RunnerType: Ptr(RunnerTypeProject)}))
			}},
			{"Users.CreateSupportPIN", "nil ctx", func(_ context.Context, c *Client) error { return rejected(c.Users.CreateSupportPIN(nilCtx)) }},
			{"Users.GetSupportPIN", "nil ctx", func(_ context.Context, c *Client) error { return rejected(c.Users.GetSupportPIN(nilCtx)) }},
			{"SSHKeys.GetByFingerprint", "empty fingerprint", func(ctx context.Context, c *Client) error {
				return rejected(c.SSHKeys.GetByFingerprint(ctx, ""))
			}},
			{"SSHKeys.GetByFingerprint", "blank fingerprint", func(ctx context.Context, c *Client) error {
				return rejected(c.SSHKeys.GetByFingerprint(ctx, "  "))
			}},
			{"SSHKeys.GetByFingerprint", "SHA256: alone", func(ctx context.Context, c *Client) error {
				return rejected(c.SSHKeys.GetByFingerprint(ctx, "SHA256:"))
			}},
			{"Status.Update", "nil ctx", func(_ context.Context, c *Client) error { return rejected(c.Status.Update(nilCtx, nil)) }},
			{"CustomAttributes.Get", "empty key", func(ctx context.Context, c *Client) error { return rejected(c.CustomAttributes.Get(ctx, 1, "")) }},
			{"CustomAttributes.Set", "empty key", func(ctx context.Context, c *Client) error {
				return rejected(c.CustomAttributes.Set(ctx, 1, "", "v"))
			}},
			{"CustomAttributes.Set", "empty value", func(ctx context.Context, c *Client) error {
				return rejected(c.CustomAttributes.Set(ctx, 1, "k", ""))
			}},
			{"CustomAttributes.Delete", "empty key", func(ctx context.Context, c *Client) error {
				return rejectedResp(c.CustomAttributes.Delete(ctx, 1, ""))
			}},
		},

		// Personal access tokens
		forIDs("PersonalAccessTokens.Get", "id", func(ctx context.Context, c *Client, id int64) error {
			return rejected(c.PersonalAccessTokens.Get(ctx, id))
		}),
		forIDs("PersonalAccessTokens.Rotate", "id", func(ctx context.Context, c *Client, id int64) error {
			return rejected(c.PersonalAccessTokens.Rotate(ctx, id, nil))
		}),
		forIDs("PersonalAccessTokens.Revoke", "id", func(ctx context.Context, c *Client, id int64) error {
			return rejectedResp(c.PersonalAccessTokens.Revoke(ctx, id))
		}),
		forIDs("PersonalAccessTokens.CreateForUser", "user id", func(ctx context.Context, c *Client, id int64) error {
			return rejected(c.PersonalAccessTokens.CreateForUser(ctx, id, pat))
		}),
		forIDs("PersonalAccessTokens.List", "user_id", func(ctx context.Context, c *Client, id int64) error {
			return rejected(c.PersonalAccessTokens.List(ctx, &ListPersonalAccessTokensOptions{UserID: &id}))
		}),
		forIDs("PersonalAccessTokens.ListIter", "user_id", func(ctx context.Context, c *Client, id int64) error {
			return rejectedIter(c.PersonalAccessTokens.ListIter(ctx, &ListPersonalAccessTokensOptions{UserID: &id}))
		}),
		forCreatePAT("PersonalAccessTokens.Create", func(ctx context.Context, c *Client, o *CreatePersonalAccessTokenOptions) error {
			return rejected(c.PersonalAccessTokens.Create(ctx, o))
		}),
		forCreatePAT("PersonalAccessTokens.CreateForUser", func(ctx context.Context, c *Client, o *CreatePersonalAccessTokenOptions) error {
			return rejected(c.PersonalAccessTokens.CreateForUser(ctx, 1, o))
		}),
		[]badArg{
			{"PersonalAccessTokens.List", "state all", func(ctx context.Context, c *Client) error {
				return rejected(c.PersonalAccessTokens.List(ctx, &ListPersonalAccessTokensOptions{State: Ptr(TokenStateAll)}))
			}},
			{"PersonalAccessTokens.ListIter", "unknown state", func(ctx context.Context, c *Client) error {
				return rejectedIter(c.PersonalAccessTokens.ListIter(ctx, &ListPersonalAccessTokensOptions{State: Ptr(TokenState("revoked"))}))
			}},
			{"PersonalAccessTokens.Current", "nil ctx", func(_ context.Context, c *Client) error {
				return rejected(c.PersonalAccessTokens.Current(nilCtx))
			}},
			{"PersonalAccessTokens.RotateCurrent", "nil ctx", func(_ context.Context, c *Client) error {
				return rejected(c.PersonalAccessTokens.RotateCurrent(nilCtx, nil))
			}},
			{"PersonalAccessTokens.RevokeCurrent", "nil ctx", func(_ context.Context, c *Client) error {
				return rejectedResp(c.PersonalAccessTokens.RevokeCurrent(nilCtx))
			}},
			{"PersonalAccessTokens.ListCurrentAssociations", "nil ctx", func(_ context.Context, c *Client) error {
				return rejected(c.PersonalAccessTokens.ListCurrentAssociations(nilCtx, nil))
			}},
			{"PersonalAccessTokens.ListCurrentAssociationsIter", "nil ctx", func(_ context.Context, c *Client) error {
				return rejectedIter(c.PersonalAccessTokens.ListCurrentAssociationsIter(nilCtx, nil))
			}},
		},

		// Service accounts: instance
		forIDs("ServiceAccounts.Update", "user id", func(ctx context.Context, c *Client, id int64) error {
			return rejected(c.ServiceAccounts.Update(ctx, id, &UpdateServiceAccountOptions{Name: Ptr("x")}))
		}),
		[]badArg{
			{"ServiceAccounts.List", "nil ctx", func(_ context.Context, c *Client) error { return rejected(c.ServiceAccounts.List(nilCtx, nil)) }},
			{"ServiceAccounts.ListIter", "nil ctx", func(_ context.Context, c *Client) error {
				return rejectedIter(c.ServiceAccounts.ListIter(nilCtx, nil))
			}},
			{"ServiceAccounts.Create", "nil ctx", func(_ context.Context, c *Client) error { return rejected(c.ServiceAccounts.Create(nilCtx, nil)) }},
		},
		// Service accounts: groups and projects
		ownedAccountBadArgs[GroupRef](groupAccounts, forGroupRefs, GroupID(1), GroupPath("a/b"), pat),
		ownedAccountBadArgs[ProjectRef](projectAccounts, forProjectRefs, ProjectID(1), ProjectPath("a/b"), pat),
		// Members, invitations, access requests
		membershipBadArgs(),
		// Deploy keys, events, avatar
		credentialsBadArgs(),
		auditEventsBadArgs(),
		// Group and project access tokens, token information
		tokenBadArgs(),
		// Enterprise users
		enterpriseUserBadArgs(),
		// Group SAML and SCIM identities, SAML and provisioned users
		identityBadArgs(),
		// SAML and LDAP group links
		groupLinksBadArgs(),
	)
}

// ownedAccountBadArgs are the rows of the service-account methods of
// one kind of owner: each bad ref (forRefs), each bad user or token id,
// bad token options, and token states these lists do not take. id and
// path are valid refs to the owner.
func ownedAccountBadArgs[R any](m ownedAccounts[R], forRefs func(string, func(context.Context, *Client, R) error) []badArg, id, path R, pat *CreatePersonalAccessTokenOptions) []badArg {
	name := func(format string) string { return "ServiceAccounts." + fmt.Sprintf(format, m.kind) }
	return slices.Concat(
		forRefs(name("ListFor%s"), func(ctx context.Context, c *Client, r R) error {
			return rejected(m.list(c.ServiceAccounts, ctx, r, nil))
		}),
		forRefs(name("ListFor%sIter"), func(ctx context.Context, c *Client, r R) error {
			return rejectedIter(m.listIter(c.ServiceAccounts, ctx, r, nil))
		}),
		forRefs(name("CreateFor%s"), func(ctx context.Context, c *Client, r R) error {
			return rejected(m.create(c.ServiceAccounts, ctx, r, nil))
		}),
		forRefs(name("UpdateFor%s"), func(ctx context.Context, c *Client, r R) error {
			return rejected(m.update(c.ServiceAccounts, ctx, r, 1, nil))
		}),
		forIDs(name("UpdateFor%s"), "user id", func(ctx context.Context, c *Client, uid int64) error {
			return rejected(m.update(c.ServiceAccounts, ctx, id, uid, nil))
		}),
		forRefs(name("DeleteFor%s"), func(ctx context.Context, c *Client, r R) error {
			return rejectedResp(m.del(c.ServiceAccounts, ctx, r, 1, nil))
		}),
		forIDs(name("DeleteFor%s"), "user id", func(ctx context.Context, c *Client, uid int64) error {
			return rejectedResp(m.del(c.ServiceAccounts, ctx, path, uid, nil))
		}),
		forRefs(name("ListTokensFor%s"), func(ctx context.Context, c *Client, r R) error {
			return rejected(m.listTokens(c.ServiceAccounts, ctx, r, 1, nil))
		}),
		forIDs(name("ListTokensFor%s"), "user id", func(ctx context.Context, c *Client, uid int64) error {
			return rejected(m.listTokens(c.ServiceAccounts, ctx, id, uid, nil))
		}),
		forRefs(name("ListTokensFor%sIter"), func(ctx context.Context, c *Client, r R) error {
			return rejectedIter(m.listTokensIter(c.ServiceAccounts, ctx, r, 1, nil))
		}),
		forIDs(name("ListTokensFor%sIter"), "user id", func(ctx context.Context, c *Client, uid int64) error {
			return rejectedIter(m.listTokensIter(c.ServiceAccounts, ctx, id, uid, nil))
		}),
		forRefs(name("CreateTokenFor%s"), func(ctx context.Context, c *Client, r R) error {
			return rejected(m.createToken(c.ServiceAccounts, ctx, r, 1, pat))
		}),
		forIDs(name("CreateTokenFor%s"), "user id", func(ctx context.Context, c *Client, uid int64) error {
			return rejected(m.createToken(c.ServiceAccounts, ctx, id, uid, pat))
		}),
		forCreatePAT(name("CreateTokenFor%s"), func(ctx context.Context, c *Client, o *CreatePersonalAccessTokenOptions) error {
			return rejected(m.createToken(c.ServiceAccounts, ctx, id, 1, o))
		}),
		forRefs(name("RevokeTokenFor%s"), func(ctx context.Context, c *Client, r R) error {
			return rejectedResp(m.revokeToken(c.ServiceAccounts, ctx, r, 1, 1))
		}),
		forIDs(name("RevokeTokenFor%s"), "user id", func(ctx context.Context, c *Client, uid int64) error {
			return rejectedResp(m.revokeToken(c.ServiceAccounts, ctx, id, uid, 1))
		}),
		forIDs(name("RevokeTokenFor%s"), "token id", func(ctx context.Context, c *Client, tid int64) error {
			return rejectedResp(m.revokeToken(c.ServiceAccounts, ctx, id, 1, tid))
		}),
		forRefs(name("RotateTokenFor%s"), func(ctx context.Context, c *Client, r R) error {
			return rejected(m.rotateToken(c.ServiceAccounts, ctx, r, 1, 1, nil))
		}),
		forIDs(name("RotateTokenFor%s"), "user id", func(ctx context.Context, c *Client, uid int64) error {
			return rejected(m.rotateToken(c.ServiceAccounts, ctx, id, uid, 1, nil))
		}),
		forIDs(name("RotateTokenFor%s"), "token id", func(ctx context.Context, c *Client, tid int64) error {
			return rejected(m.rotateToken(c.ServiceAccounts, ctx, id, 1, tid, nil))
		}),
		[]badArg{
			{name("ListTokensFor%s"), "state all", func(ctx context.Context, c *Client) error {
				return rejected(m.listTokens(c.ServiceAccounts, ctx, id, 1, &ListServiceAccountTokensOptions{State: Ptr(TokenStateAll)}))
			}},
			{name("ListTokensFor%sIter"), "unknown state", func(ctx context.Context, c *Client) error {
				return rejectedIter(m.listTokensIter(c.ServiceAccounts, ctx, id, 1, &ListServiceAccountTokensOptions{State: Ptr(TokenState("x"))}))
			}},
		},
	)
}

// badIDs are ids that cannot be right: zero, the first negative and the
// most negative.
var badIDs = []int64{0, -1, math.MinInt64}

// forIDs is one case per bad id of a method, the other arguments valid;
// which says which id (of a method with two) is the bad one.
func forIDs(method, which string, call func(ctx context.Context, c *Client, id int64) error) []badArg {
	var out []badArg
	for _, id := range badIDs {
		out = append(out, badArg{method, fmt.Sprintf("%s %d", which, id), func(ctx context.Context, c *Client) error { return call(ctx, c, id) }})
	}
	return out
}

// forUserRefs is one case per UserRef that cannot be right.
func forUserRefs(method string, call func(ctx context.Context, c *Client, u UserRef) error) []badArg {
	refs := []struct {
		bad string
		ref UserRef
	}{
		{"nil UserRef", nil},
		{"UserID 0", UserID(0)},
		{"UserID -1", UserID(-1)},
		{"UserID -2", UserID(-2)},
		{"empty username", Username("")},
		{"username only @", Username("@")},
		{"username with NUL", Username("a\x00b")},
		{"username with newline", Username("a\nb")},
		{"username ending in newline", Username("jane\n")},
		{"username with DEL", Username("a\x7f")},
	}
	var out []badArg
	for _, r := range refs {
		out = append(out, badArg{method, r.bad, func(ctx context.Context, c *Client) error { return call(ctx, c, r.ref) }})
	}
	return out
}

// forGroupRefs is one case per GroupRef that cannot be right.
func forGroupRefs(method string, call func(ctx context.Context, c *Client, g GroupRef) error) []badArg {
	refs := []struct {
		bad string
		ref GroupRef
	}{
		{"nil GroupRef", nil},
		{"GroupID 0", GroupID(0)},
		{"GroupID -1", GroupID(-1)},
		{"empty group path", GroupPath("")},
		{"group path with newline", GroupPath("a/b\n")},
		{"group path with NUL", GroupPath("a\x00b")},
	}
	var out []badArg
	for _, r := range refs {
		out = append(out, badArg{method, r.bad, func(ctx context.Context, c *Client) error { return call(ctx, c, r.ref) }})
	}
	return out
}

// forProjectRefs is one case per ProjectRef that cannot be right.
func forProjectRefs(method string, call func(ctx context.Context, c *Client, p ProjectRef) error) []badArg {
	refs := []struct {
		bad string
		ref ProjectRef
	}{
		{"nil ProjectRef", nil},
		{"ProjectID 0", ProjectID(0)},
		{"ProjectID -1", ProjectID(-1)},
		{"empty project path", ProjectPath("")},
		{"project path with DEL", ProjectPath("a/b\x7f")},
	}
	var out []badArg
	for _, r := range refs {
		out = append(out, badArg{method, r.bad, func(ctx context.Context, c *Client) error { return call(ctx, c, r.ref) }})
	}
	return out
}

// forCreatePAT is one case per token-creating options that cannot be
// right: nil, no or an empty name, no scopes.
func forCreatePAT(method string, call func(ctx context.Context, c *Client, o *CreatePersonalAccessTokenOptions) error) []badArg {
	opts := []struct {
		bad string
		opt *CreatePersonalAccessTokenOptions
	}{
		{"nil options", nil},
		{"no name", &CreatePersonalAccessTokenOptions{Scopes: []string{ScopeK8sProxy}}},
		{"empty name", &CreatePersonalAccessTokenOptions{Name: Ptr(""), Scopes: []string{ScopeK8sProxy}}},
		{"no scopes", &CreatePersonalAccessTokenOptions{Name: Ptr("t")}},
		{"empty scopes", &CreatePersonalAccessTokenOptions{Name: Ptr("t"), Scopes: []string{}}},
	}
	var out []badArg
	for _, o := range opts {
		out = append(out, badArg{method, o.bad, func(ctx context.Context, c *Client) error { return call(ctx, c, o.opt) }})
	}
	return out
}

// rejected is the error of a call that must fail before any request: a
// value or a *Response handed back beside it is a failure of its own
// (an error that is not ErrInvalidArgument).
func rejected[T any](v T, resp *Response, err error) error {
	if !reflect.ValueOf(&v).Elem().IsZero() || resp != nil {
		return fmt.Errorf("a rejected call handed back value %v and response %v beside its error %v", v, resp, err)
	}
	return err
}

// rejectedResp is rejected for a call with no value.
func rejectedResp(resp *Response, err error) error {
	var none *struct{}
	return rejected(none, resp, err)
}

// rejectedIter is rejected for an iterator: it must yield exactly once,
// a zero item with the error.
func rejectedIter[T any](seq iter.Seq2[T, error]) error {
	var first error
	n := 0
	for v, err := range seq {
		n++
		if !reflect.ValueOf(&v).Elem().IsZero() {
			return fmt.Errorf("a rejected iterator yielded item %v", v)
		}
		first = err
	}
	if n != 1 {
		return fmt.Errorf("a rejected iterator yielded %d times, not once (last error %v)", n, first)
	}
	return first
}

// newNoRequestClient is a client whose transport fails the test if it is
// ever called.
func newNoRequestClient(t *testing.T, opts ...ClientOption) *Client {
	t.Helper()
	hc := &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		t.Errorf("a request was sent: %s %s", r.Method, r.URL)
		return nil, errors.New("no request may be sent")
	})}
	c, err := NewClient(testToken, append([]ClientOption{WithBaseURL(testHost), WithHTTPClient(hc), WithoutRetries()}, opts...)...)
	require.NoError(t, err)
	return c
}

// TestBadArguments: every argument that cannot be right fails with
// ErrInvalidArgument before anything is sent, handing back no value and
// no *Response (an iterator yields the error once), without a panic, a
// hang, or the token in the error or the logs.
func TestBadArguments(t *testing.T) {
	var logs logBuffer
	c := newNoRequestClient(t, WithLogger(logs.logger()))
	cases := badArgs()
	require.GreaterOrEqual(t, len(cases), 40)
	seen := map[string]bool{}
	for _, tc := range cases {
		name := tc.method + ": " + tc.bad
		require.False(t, seen[name], "two cases named %q", name)
		seen[name] = true
		runWatched(t, name, func() {
			ctx, cancel := context.WithTimeout(context.Background(), callTimeout)
			defer cancel()
			err := tc.call(ctx, c)
			require.ErrorIs(t, err, ErrInvalidArgument, name)
			assert.NotContains(t, err.Error(), testToken, name)
		})
	}
	assert.Empty(t, logs.String(), "nothing was sent, so nothing is logged")
}

// TestBadArgumentsCoverEveryMethod keeps badArgs complete: it walks the
// services of a Client by reflection and fails for every exported
// method without a case, and for every case naming no method.
func TestBadArgumentsCoverEveryMethod(t *testing.T) {
	covered := map[string]bool{}
	for _, tc := range badArgs() {
		covered[tc.method] = true
	}
	methods := map[string]bool{}
	client := reflect.TypeFor[Client]()
	for i := range client.NumField() {
		f := client.Field(i)
		if !f.IsExported() || f.Type.Kind() != reflect.Pointer || f.Type.Elem().Kind() != reflect.Struct {
			continue
		}
		for j := range f.Type.NumMethod() { // the exported methods only
			name := f.Name + "." + f.Type.Method(j).Name
			methods[name] = true
			assert.True(t, covered[name], "%s has no case in badArgs", name)
		}
	}
	require.GreaterOrEqual(t, len(methods), 50, "the walk found too few service methods")
	for name := range covered {
		assert.True(t, methods[name], "badArgs has cases for %s, which no service has", name)
	}
}
