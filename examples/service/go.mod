module github.com/socialprescribing/linkwork/examples/service

go 1.26.0

replace github.com/socialprescribing/linkwork => ../..

require (
	github.com/socialprescribing/linkwork v0.0.0-00010101000000-000000000000
	github.com/stretchr/testify v1.11.1
)

require (
	github.com/davecgh/go-spew v1.1.1 // indirect
	github.com/google/uuid v1.6.0 // indirect
	github.com/pmezard/go-difflib v1.0.0 // indirect
	gopkg.in/yaml.v3 v3.0.1 // indirect
)
