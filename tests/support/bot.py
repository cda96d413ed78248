"""Content shared by the bot's tests: a second program and a mentor template (all fictional)."""

MENTOR = """id: {id}
name: {name}
program: {program}
profession: md
stage: early-faculty
specialties: [emergency-medicine]
areas: [residency-application, wellness]
affinities: [first-generation]
private_affinities: [{private}]
languages: [en]
meeting: [virtual]
state: IL
timezone: America/Chicago
capacity: {capacity}
accepting: true
{contact}bio: A fictional mentor used in tests.
last_confirmed: 2025-09-01
"""
PROGRAM = """id: riverside-som
name: Riverside Mentoring
institution: Riverside University
profession: md
state: IL
website: https://riverside.example.edu/mentoring
maintainers: [riverside-coord]
description: A fictional program used in tests.
"""
