package store

import (
	"fmt"
	"strconv"
	"time"
)

// DriverSettings tune the Neo4j driver for a replica of the server (README:
// "Running several replicas"). Zero values keep the defaults below.
type DriverSettings struct {
	// MaxPoolSize caps the Bolt connections per database server
	// (NEO4J_MAX_POOL_SIZE, default 100).
	MaxPoolSize int
	// FetchSize is how many records a result pulls per batch
	// (NEO4J_FETCH_SIZE, default 1000; -1 pulls everything at once).
	FetchSize int
	// AcquisitionTimeout bounds the wait for a pooled connection
	// (NEO4J_ACQUISITION_TIMEOUT, default 5s).
	AcquisitionTimeout time.Duration
	// MaxConnectionLifetime retires connections older than this
	// (NEO4J_MAX_CONNECTION_LIFETIME, default 1h), so a replica follows a
	// cluster's changes.
	MaxConnectionLifetime time.Duration
}

// DriverSettingsFromEnv reads the settings; getenv is os.Getenv outside tests.
func DriverSettingsFromEnv(getenv func(string) string) (DriverSettings, error) {
	var d DriverSettings
	ints := []struct {
		name string
		dst  *int
	}{{"NEO4J_MAX_POOL_SIZE", &d.MaxPoolSize}, {"NEO4J_FETCH_SIZE", &d.FetchSize}}
	for _, v := range ints {
		if s := getenv(v.name); s != "" {
			n, err := strconv.Atoi(s)
			if err != nil || (n <= 0 && !(v.name == "NEO4J_FETCH_SIZE" && n == -1)) {
				return d, fmt.Errorf("%s=%q: want a positive whole number", v.name, s)
			}
			*v.dst = n
		}
	}
	durs := []struct {
		name string
		dst  *time.Duration
	}{{"NEO4J_ACQUISITION_TIMEOUT", &d.AcquisitionTimeout}, {"NEO4J_MAX_CONNECTION_LIFETIME", &d.MaxConnectionLifetime}}
	for _, v := range durs {
		if s := getenv(v.name); s != "" {
			t, err := time.ParseDuration(s)
			if err != nil || t <= 0 {
				return d, fmt.Errorf("%s=%q: want a duration such as 5s", v.name, s)
			}
			*v.dst = t
		}
	}
	return d, nil
}
