"""What the app ships that others wrote: the distributions it runs on, the native libraries inside their
wheels, their licences, and the notices text the bundle carries (Help → Licences shows it)."""
