package store

import (
	"testing"
	"time"
)

func TestDriverSettingsFromEnv(t *testing.T) {
	for _, tc := range []struct {
		name string
		env  map[string]string
		want DriverSettings
		bad  bool
	}{
		{"defaults", nil, DriverSettings{}, false},
		{"all set", map[string]string{"NEO4J_MAX_POOL_SIZE": "50", "NEO4J_FETCH_SIZE": "-1", "NEO4J_ACQUISITION_TIMEOUT": "2s", "NEO4J_MAX_CONNECTION_LIFETIME": "30m"},
			DriverSettings{MaxPoolSize: 50, FetchSize: -1, AcquisitionTimeout: 2 * time.Second, MaxConnectionLifetime: 30 * time.Minute}, false},
		{"zero pool", map[string]string{"NEO4J_MAX_POOL_SIZE": "0"}, DriverSettings{}, true},
		{"not a number", map[string]string{"NEO4J_FETCH_SIZE": "lots"}, DriverSettings{}, true},
		{"not a duration", map[string]string{"NEO4J_ACQUISITION_TIMEOUT": "5"}, DriverSettings{}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := DriverSettingsFromEnv(func(k string) string { return tc.env[k] })
			if (err != nil) != tc.bad {
				t.Fatalf("err = %v, want error %v", err, tc.bad)
			}
			if !tc.bad && got != tc.want {
				t.Fatalf("got %+v, want %+v", got, tc.want)
			}
		})
	}
}
