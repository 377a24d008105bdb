"""newsclean's spiders: rt, sputnik, republicworld (site spiders) and news (any site)."""
