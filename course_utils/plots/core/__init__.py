"""What every week's figures share: the colours and style (:mod:`.style`), :func:`.axes.axes_or_new`."""
