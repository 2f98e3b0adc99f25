package session

import (
	"encoding/json"
	"time"

	"github.com/mfa-git/mfa-git/internal/flatjson"
)

// Decode reads the JSON in b into *s exactly as json.Unmarshal would
// (s must be zero). The entries mfa-git stores and the agent's answers
// are read by package flatjson, which costs a cached get no reflection;
// anything outside its subset goes to encoding/json.
func Decode(b []byte, s *Session) error {
	d := flatjson.New(b)
	if DecodeFrom(d, s) == nil && d.End() == nil {
		return nil
	}
	*s = Session{}
	return json.Unmarshal(b, s)
}

// DecodeFrom reads a session object from d into *s (s must be zero), or
// returns flatjson.ErrUnsupported; the caller then decodes its whole
// input with encoding/json.
func DecodeFrom(d *flatjson.Decoder, s *Session) error {
	return d.Object(func(key string) error {
		var err error
		switch key {
		case "access_key_id":
			s.AccessKeyID, err = d.String()
		case "secret_access_key":
			s.SecretAccessKey, err = d.String()
		case "session_token":
			s.SessionToken, err = d.String()
		case "expiration":
			err = decodeTime(d, &s.Expiration)
		case "mfa_serial":
			s.MFASerial, err = d.String()
		case "profile":
			s.Profile, err = d.String()
		case "source_access_key_id":
			s.SourceKeyID, err = d.String()
		case "issued":
			err = decodeTime(d, &s.Issued)
		case "code_step":
			s.CodeStep, err = d.Int()
		case "role":
			s.Role = new(RoleInfo)
			err = decodeRole(d, s.Role)
		case "key":
			s.Key, err = d.String()
		default:
			err = flatjson.ErrUnsupported
		}
		return err
	})
}

func decodeRole(d *flatjson.Decoder, r *RoleInfo) error {
	return d.Object(func(key string) error {
		var err error
		switch key {
		case "source":
			r.Source, err = d.String()
		case "mfa_session":
			r.MFASession, err = d.String()
		case "id":
			r.ID, err = d.String()
		case "arn":
			r.ARN, err = d.String()
		case "clamped":
			r.Clamped, err = d.Bool()
		default:
			err = flatjson.ErrUnsupported
		}
		return err
	})
}

// decodeTime reads a time as encoding/json does: the quoted string goes
// to time.Time's UnmarshalJSON.
func decodeTime(d *flatjson.Decoder, t *time.Time) error {
	q, err := d.Quoted()
	if err != nil {
		return err
	}
	if t.UnmarshalJSON(q) != nil {
		return flatjson.ErrUnsupported
	}
	return nil
}
