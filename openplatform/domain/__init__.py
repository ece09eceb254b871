"""What every service uses: domain errors with stable codes and the one way state moves."""
