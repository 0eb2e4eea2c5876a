package gitlab

import (
	"context"
	"iter"
	"net/http"
)

// FollowsService follows and unfollows users and lists followers and followed users.
//
// GitLab API docs: https://docs.gitlab.com/api/user_follow_unfollow/
type FollowsService service

// Follow makes the current user follow the user with the given ID and
// returns that user. Any authenticated user may call it.
//
// When nothing changes, because the current user already follows that
// user, tries to follow themself, or either side has turned following
// off, GitLab answers 304 Not Modified without a body. Follow reports
// that as success with a nil user, so check the status code:
//
//	u, resp, err := client.Follows.Follow(ctx, 3)
//	switch {
//	case err != nil:
//		return err // 404: no such user; 400: followee limit reached
//	case resp.StatusCode == http.StatusNotModified:
//		// u is nil: already following (or following not possible)
//	default:
//		fmt.Println("now following", u.Username)
//	}
//
// Follow is safe to repeat, so it is retried after transient failures (with
// the client's retry settings) although it is a POST.
//
// GitLab API docs: https://docs.gitlab.com/api/user_follow_unfollow/#follow-a-user
func (s *FollowsService) Follow(ctx context.Context, userID int64, opts ...RequestOption) (*User, *Response, error) {
	return do[*User](ctx, s.client, http.MethodPost, at("users", userID, "follow").markIdempotent().allowNotModified(), nil, opts)
}

// Unfollow makes the current user stop following the user with the
// given ID and returns that user. Any authenticated user may call it.
//
// When the current user does not follow that user, GitLab answers 304
// Not Modified without a body: Unfollow then returns a nil user, a nil
// error and resp.StatusCode == http.StatusNotModified, as Follow does.
//
//	u, resp, err := client.Follows.Unfollow(ctx, 3)
//	if err == nil && resp.StatusCode == http.StatusNotModified {
//		// u is nil: was not following
//	}
//
// Unfollow is safe to repeat, so it is retried after transient failures
// (with the client's retry settings) although it is a POST.
//
// GitLab API docs: https://docs.gitlab.com/api/user_follow_unfollow/#unfollow-a-user
func (s *FollowsService) Unfollow(ctx context.Context, userID int64, opts ...RequestOption) (*User, *Response, error) {
	return do[*User](ctx, s.client, http.MethodPost, at("users", userID, "unfollow").markIdempotent().allowNotModified(), nil, opts)
}

// ListFollowers returns one page of the users who follow the user with
// the given ID. Any authenticated user may call it; anonymous callers
// get 403, and a user whose profile is private gives 404.
//
// GitLab API docs: https://docs.gitlab.com/api/user_follow_unfollow/#list-all-accounts-that-follow-a-user
func (s *FollowsService) ListFollowers(ctx context.Context, userID int64, opt *ListOptions, opts ...RequestOption) ([]*User, *Response, error) {
	return doList[*User](ctx, s.client, at("users", userID, "followers"), opt, opts)
}

// ListFollowersIter yields all the users who follow the user with the
// given ID, across pages.
//
// Deleting followers, or making them unfollow (WithSudo), inside the
// loop shifts the pages not yet fetched: others are skipped (or
// yielded twice), with no error. Collect them first (see Collect).
//
// GitLab API docs: https://docs.gitlab.com/api/user_follow_unfollow/#list-all-accounts-that-follow-a-user
func (s *FollowsService) ListFollowersIter(ctx context.Context, userID int64, opt *ListOptions, opts ...RequestOption) iter.Seq2[*User, error] {
	return iterate[*User](ctx, s.client, at("users", userID, "followers"), opt, opts)
}

// ListFollowing returns one page of the users whom the user with the
// given ID follows. Any authenticated user may call it; anonymous
// callers get 403, and a user whose profile is private gives 404.
//
// GitLab API docs: https://docs.gitlab.com/api/user_follow_unfollow/#list-all-accounts-followed-by-a-user
func (s *FollowsService) ListFollowing(ctx context.Context, userID int64, opt *ListOptions, opts ...RequestOption) ([]*User, *Response, error) {
	return doList[*User](ctx, s.client, at("users", userID, "following"), opt, opts)
}

// ListFollowingIter yields all the users whom the user with the given
// ID follows, across pages.
//
// Unfollowing or deleting users inside the loop shifts the pages not
// yet fetched: others are skipped (or yielded twice), with no error.
// Collect them first (see Collect).
//
// GitLab API docs: https://docs.gitlab.com/api/user_follow_unfollow/#list-all-accounts-followed-by-a-user
func (s *FollowsService) ListFollowingIter(ctx context.Context, userID int64, opt *ListOptions, opts ...RequestOption) iter.Seq2[*User, error] {
	return iterate[*User](ctx, s.client, at("users", userID, "following"), opt, opts)
}
