"""Starting and stopping CareDesk's processes on one machine."""
