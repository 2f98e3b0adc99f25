package hint

import (
	"errors"
	"fmt"
	"io/fs"
	"testing"
)

type typed struct{}

func (typed) Error() string { return "typed" }
func (typed) Hint() string  { return "from the type" }

func TestHint(t *testing.T) {
	base := errors.New("base")
	for _, tc := range []struct {
		name      string
		err       error
		msg, hint string
	}{
		{"none", base, "base", ""},
		{"new", New(base, "read profile", "fix it"), "read profile", "fix it"},
		{"new without cause", New(nil, "bad URL", "use another"), "bad URL", "use another"},
		{"wrapped by fmt", fmt.Errorf("ctx: %w", New(base, "inner", "do this")), "ctx: inner", "do this"},
		{"wrap adds", Wrap(base, "added"), "base", "added"},
		{"wrap replaces", Wrap(New(base, "m", "first"), "second"), "m", "second"},
		{"or adds", Or(base, "added"), "base", "added"},
		{"or keeps the first", Or(New(base, "m", "first"), "second"), "m", "first"},
		{"a Hint method anywhere", fmt.Errorf("x: %w", typed{}), "x: typed", "from the type"},
		{"or keeps a typed hint", Or(typed{}, "second"), "typed", "from the type"},
	} {
		if got := tc.err.Error(); got != tc.msg {
			t.Errorf("%s: message %q, want %q", tc.name, got, tc.msg)
		}
		if got := Of(tc.err); got != tc.hint {
			t.Errorf("%s: hint %q, want %q", tc.name, got, tc.hint)
		}
	}
	if Wrap(nil, "x") != nil || Or(nil, "x") != nil || Of(nil) != "" {
		t.Error("nil must stay nil and have no hint")
	}
	if !errors.Is(New(fs.ErrPermission, "m", "h"), fs.ErrPermission) || !errors.Is(Wrap(fs.ErrNotExist, "h"), fs.ErrNotExist) {
		t.Error("the cause must stay visible to errors.Is")
	}
}
