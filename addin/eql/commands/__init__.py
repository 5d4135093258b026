"""The subcommands of ``eql``; each module registers its own parser."""
