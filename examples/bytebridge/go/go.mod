module bytebridge/app

go 1.19
