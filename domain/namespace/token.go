package namespace

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"strings"
)

// ErrMalformedToken is a token that is not ns_<base64url(namespace)>_<64 hex>.
var ErrMalformedToken = errors.New("malformed token")

const secretHexLen = 64

// NewToken makes a random token for namespace id.
func NewToken(id string) (string, error) {
	secret := make([]byte, secretHexLen/2)
	if _, err := rand.Read(secret); err != nil {
		return "", err
	}
	return "ns_" + base64.RawURLEncoding.EncodeToString([]byte(id)) + "_" + hex.EncodeToString(secret), nil
}

// ParseToken returns the namespace a well-formed token belongs to.
func ParseToken(token string) (string, error) {
	rest, ok := strings.CutPrefix(token, "ns_")
	if !ok {
		return "", ErrMalformedToken
	}
	i := strings.LastIndexByte(rest, '_')
	if i < 0 {
		return "", ErrMalformedToken
	}
	encoded, secret := rest[:i], rest[i+1:]
	if len(secret) != secretHexLen || !isLowerHex(secret) {
		return "", ErrMalformedToken
	}
	id, err := base64.RawURLEncoding.DecodeString(encoded)
	if err != nil || ValidateID(string(id)) != nil {
		return "", ErrMalformedToken
	}
	return string(id), nil
}

// ValidateToken checks that token is well formed and belongs to namespace id.
func ValidateToken(id, token string) error {
	owner, err := ParseToken(token)
	if err != nil {
		return err
	}
	if owner != id {
		return errors.New("token belongs to another namespace")
	}
	return nil
}

// HashToken is what the registry stores instead of the token.
func HashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// TokenMatches compares a presented token with a stored hash in constant time.
func TokenMatches(token, hash string) bool {
	h := HashToken(token)
	return subtle.ConstantTimeCompare([]byte(h), []byte(hash)) == 1
}

func isLowerHex(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}
