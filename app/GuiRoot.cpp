// placeholder: the control panel branch writes it
