kernel-y += drivers/uart8250.o drivers/power.o
