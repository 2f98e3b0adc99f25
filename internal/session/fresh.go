package session

import "time"

// Lead is how long before its expiry s is due for replacement, given a
// margin: the margin, but never more than half the session's lifetime, so
// no session is replaced in the first half of its life whatever the
// margin and duration_seconds say. The lifetime is from Issued to
// Expiration, or fallback (the profile's duration) for entries stored
// before Issued was recorded; when neither is known, the margin is used.
func (s *Session) Lead(margin, fallback time.Duration) time.Duration {
	life := fallback
	if !s.Issued.IsZero() && s.Expiration.After(s.Issued) {
		life = s.Expiration.Sub(s.Issued)
	}
	if life > 0 && margin > life/2 {
		return life / 2
	}
	return margin
}

// Fresh reports whether s may be handed out at now rather than replaced:
// it has more than Lead(margin, fallback) left.
func (s *Session) Fresh(now time.Time, margin, fallback time.Duration) bool {
	return s != nil && s.Remaining(now) > s.Lead(margin, fallback)
}
