module docidx/service

go 1.19
