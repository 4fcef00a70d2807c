"""Signing up: the rules explained from the company's policies, and a sign-up problem
answered for what went wrong."""

from __future__ import annotations

import pytest

from actions.signup import ActionAccountCreationInfo, ActionSignupHelp, signup_issue
from company import policies
from tests.conftest import make_tracker


@pytest.mark.parametrize("text, issue", [
    ("it says my email is already registered", "already_registered"),
    ("an account with this address already exists apparently", "already_registered"),
    ("I never got the confirmation email", "no_confirmation"),
    ("the verification link hasn't arrived", "no_confirmation"),
    ("my email never came through after signing up", "no_confirmation"),
    ("it won't accept my password", "password_rules"),
    ("the sign up page shows an error", "site_error"),
    ("registration keeps crashing on my phone", "site_error"),
    ("I had trouble signing up", "general"),
    ("can't register", "general"),
    # the email that never came is the problem, not the account made before it
    ("I already signed up but never got the confirmation email", "no_confirmation"),
    ("already registered, and the confirmation email never arrived", "no_confirmation"),
    # a confirmation that did arrive is no missing email
    ("I already confirmed my email but it says the account exists", "already_registered"),
    ("I already have an account", "already_registered"),
    # an error or a crash on the site, with a password in the sentence, is still the site's
    ("I get an error after entering my password", "site_error"),
    ("the page crashes when I type my password", "site_error"),
    ("the password box is blank", "site_error"),
    # a rule the password broke is the rules, even with an error message
    ("it gives me an error saying my password is too short", "password_rules"),
    ("invalid password error", "password_rules"),
    ("what does the password need to have", "password_rules"),
    ("it says weak password", "password_rules"),
    ("my password doesn't work when I sign up", "password_rules"),
    ("the password wont work on the registration form", "password_rules"),
])
def test_the_problem_is_read_from_the_customers_words(text, issue):
    assert signup_issue(text) == issue


async def test_creating_an_account_quotes_the_policies(domain, make_dispatcher):
    tracker = make_tracker(text="how do I make an account", intent="create_account", domain=domain)
    dispatcher = make_dispatcher(tracker)  # fails the test on a placeholder left unfilled
    assert await ActionAccountCreationInfo().run(dispatcher, tracker, domain) == []
    assert dispatcher.responses() == ["utter_create_account"]
    said = dispatcher.messages[0]
    assert said["min_length"] == policies.PASSWORD_MIN_LENGTH
    assert said["sign_up_url"] == policies.SIGN_UP_URL
    assert said["min_age"] == policies.MIN_ACCOUNT_AGE


@pytest.mark.parametrize("text, response, issue", [
    ("it says my email is already registered", "utter_signup_already_registered", "already_registered"),
    ("the confirmation email never arrived", "utter_signup_no_confirmation", "no_confirmation"),
    ("what does the password need to have", "utter_signup_password_rules", "password_rules"),
    ("the register button gives me an error", "utter_signup_site_error", "site_error"),
    ("I already signed up but never got the confirmation email", "utter_signup_no_confirmation",
     "no_confirmation"),
    ("I get an error after entering my password", "utter_signup_site_error", "site_error"),
    ("the page crashes when I type my password", "utter_signup_site_error", "site_error"),
    ("I had trouble signing up", "utter_signup_help", "general"),
    ("/signup_problem", "utter_signup_help", "general"),  # a button: no words to read
])
async def test_each_problem_gets_its_answer_and_next_step(domain, make_dispatcher, text, response,
                                                          issue):
    tracker = make_tracker(text=text, intent="signup_problem", domain=domain)
    dispatcher = make_dispatcher(tracker)
    events = await ActionSignupHelp().run(dispatcher, tracker, domain)
    assert dispatcher.responses() == [response]
    assert [(e["name"], e["value"]) for e in events] == [("signup_issue", issue)]


@pytest.mark.parametrize("text, response", [
    ("ok how do i actually sign up?", "utter_plan_how_to_join"),
    ("how do I create an account", "utter_create_account"),
])
async def test_signing_up_right_after_a_plan_is_joining_it(database_url, domain, make_dispatcher, text, response):
    """A customer run: "ok how do i actually sign up?" after Harbor Club Plus's price got how
    to create an account, twice, and never how to join."""
    from tests.conftest import bot_said, user_said

    tracker = make_tracker(text=text, intent="create_account", domain=domain,
                           events=[bot_said("utter_plan_one", 1700000000.5), user_said(text, "create_account")])
    dispatcher = make_dispatcher(tracker)
    await ActionAccountCreationInfo().run(dispatcher, tracker, domain)
    assert dispatcher.responses() == [response]
