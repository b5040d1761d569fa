module github.com/eventodb/eventodb

go 1.26.8
