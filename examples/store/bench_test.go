package main

import (
	"testing"

	"github.com/socialprescribing/linkwork/prescribing/store/storetest"
)

// BenchmarkSQLite measures the store on a SQLite file in WAL mode with
// synchronous=FULL (every commit synced to disk).
func BenchmarkSQLite(b *testing.B) { storetest.Bench(b, factory(sqliteDB)) }

// BenchmarkPostgreSQL measures the store on the PostgreSQL database named
// by LINKWORK_POSTGRES_DSN.
func BenchmarkPostgreSQL(b *testing.B) { storetest.Bench(b, factory(postgresDB)) }
