"""The desktop shell: application start-up, the signal bus, tray notices, the demo, desktop integration."""
