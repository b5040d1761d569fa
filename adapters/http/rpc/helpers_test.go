package rpc_test

import (
	"time"

	"github.com/google/uuid"
)

// fixedClock always tells the same time.
type fixedClock struct{ t time.Time }

func (c fixedClock) Now() time.Time { return c.t }

// uuidGen makes and checks UUIDs.
type uuidGen struct{}

func (uuidGen) NewID() string { return uuid.NewString() }

func (uuidGen) Normalize(id string) (string, error) {
	u, err := uuid.Parse(id)
	if err != nil {
		return "", err
	}
	return u.String(), nil
}
