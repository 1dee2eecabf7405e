kernel-y += drivers/uart8250.o drivers/power.o
kernel-y += drivers/serial/console.o drivers/serial/sifive.o
