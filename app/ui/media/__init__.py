"""Media in the timeline: decoding thumbnails off the GUI thread, animating GIFs, file
transfers, voice state, and painting the bubbles of every non-text message kind."""
